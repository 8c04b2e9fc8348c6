"""Writes of the open-affairs module. Each function owns its transaction, validates with Chinese
messages and writes its audit event in the same transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.validators import normalize_text
from deadlines.services import deadline_done, deadline_upsert
from orgs import access

from . import clock, rules
from .models import (
    AffairItem,
    Category,
    Question,
    QuestionStatus,
    Rating,
    ReadReceipt,
    Survey,
    SurveyResponse,
)
from .permissions import AFFAIRS_MANAGE, AFFAIRS_VIEW

MAX_QUESTION = 1000


def _require(actor, perm, org) -> None:
    if not access.can(actor, perm, org):
        raise PermissionDenied


def item_publish(
    *, org, category: str, title: str, body: str, publish_from: date, publish_until: date, actor
) -> AffairItem:
    """Put an item on the union's board for the period publish_from … publish_until."""
    _require(actor, AFFAIRS_MANAGE, org)
    title, body = normalize_text(title or ""), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = [_("请选择公开类别。")]
    if not title:
        errors["title"] = [_("请填写标题。")]
    if not body:
        errors["body"] = [_("请填写公开内容。")]
    if publish_from is None:
        errors["publish_from"] = [_("请填写公开开始日期。")]
    if publish_until is None:
        errors["publish_until"] = [_("请填写公开截止日期。")]
    if publish_from and publish_until and publish_until < publish_from:
        errors["publish_until"] = [_("公开截止日期不能早于开始日期。")]
    elif publish_until and publish_until < clock.today():
        errors["publish_until"] = [_("公开截止日期已过，发布后职工也看不到，请核对日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = AffairItem.objects.create(
            org=org,
            category=category,
            title=title,
            body=body,
            publish_from=publish_from,
            publish_until=publish_until,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="affairs.item_publish",
            target=item,
            org=org,
            details={
                "category": category,
                "from": publish_from.isoformat(),
                "until": publish_until.isoformat(),
            },
        )
    return item


def receipt_record(*, item: AffairItem, actor) -> ReadReceipt | None:
    """A worker opened a published item: record it once. The union's own managers opening the item
    to check on it are not readers; nor is anyone before or after the publication period."""
    if not getattr(actor, "is_authenticated", False) or access.can(actor, AFFAIRS_MANAGE, item.org):
        return None
    if rules.publication_state(item.publish_from, item.publish_until, clock.today()) != "current":
        return None
    if ReadReceipt.objects.filter(item=item, user=actor).exists():
        return None
    try:
        with transaction.atomic():
            receipt = ReadReceipt.objects.create(org=item.org, item=item, user=actor, read_at=clock.now())
            audit_record(actor=actor, action="affairs.item_read", target=item, org=item.org)
    except IntegrityError:  # the same person opened it twice at the same moment
        return None
    return receipt


def question_ask(*, org, body: str, actor, item: AffairItem | None = None) -> Question:
    """A worker asks a question on the board or on one item; the answer is due in 30 days."""
    _require(actor, AFFAIRS_VIEW, org)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("请填写您的问题。")]})
    if len(body) > MAX_QUESTION:
        raise ValidationError({"body": [_("问题请控制在 %(n)d 字以内。") % {"n": MAX_QUESTION}]})
    today = clock.today()
    if item is not None:
        if item.org_id != org.pk:
            raise ValidationError({"item": [_("该公开事项不属于本工会。")]})
        if rules.publication_state(item.publish_from, item.publish_until, today) == "scheduled":
            raise ValidationError({"item": [_("该事项尚未公开。")]})
    with transaction.atomic():
        q = Question.objects.create(
            org=org, item=item, asker=actor, body=body, asked_on=today, due_on=rules.answer_due(today)
        )
        deadline_upsert(
            org=org,
            source=q,
            title=_("答复职工提问：%(q)s") % {"q": body[:40]},
            due_on=q.due_on,
            url=reverse("affairs:question", args=[q.pk]),
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="affairs.question_ask",
            target=q,
            org=org,
            details={"item": item.pk if item else None, "due_on": q.due_on.isoformat()},
        )
    return q


def question_answer(*, question: Question, answer: str, actor) -> Question:
    _require(actor, AFFAIRS_MANAGE, question.org)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("请填写答复内容。")]})
    today = clock.today()
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status != QuestionStatus.OPEN:
            raise ValidationError(_("该问题已经答复过了。"))
        question.status = QuestionStatus.ANSWERED
        question.answer = answer
        question.answered_by = actor
        question.answered_on = today
        question.save(update_fields=["status", "answer", "answered_by", "answered_on"])
        deadline_done(source=question, actor=actor)
        audit_record(
            actor=actor,
            action="affairs.question_answer",
            target=question,
            org=question.org,
            details={"late": today > question.due_on, "due_on": question.due_on.isoformat()},
        )
    return question


def survey_create(*, org, title: str, opens_on: date, closes_on: date, actor) -> Survey:
    _require(actor, AFFAIRS_MANAGE, org)
    title = normalize_text(title or "")
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("请填写调查名称。")]
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = [_("调查结束日期不能早于开始日期。")]
    elif closes_on and closes_on < clock.today():
        errors["closes_on"] = [_("调查结束日期已过，职工无法参加，请核对日期。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        survey = Survey.objects.create(
            org=org, title=title, opens_on=opens_on, closes_on=closes_on, created_by=actor
        )
        audit_record(
            actor=actor,
            action="affairs.survey_create",
            target=survey,
            org=org,
            details={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
    return survey


def survey_respond(*, survey: Survey, rating: str, comment: str = "", actor) -> SurveyResponse:
    """One answer per person per survey period."""
    _require(actor, AFFAIRS_VIEW, survey.org)
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("请选择满意程度。")]})
    state = rules.publication_state(survey.opens_on, survey.closes_on, clock.today())
    if state == "scheduled":
        raise ValidationError(_("本期调查尚未开始。"))
    if state == "ended":
        raise ValidationError(_("本期调查已经结束。"))
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                org=survey.org, survey=survey, user=actor, rating=rating, comment=(comment or "").strip()
            )
            # the audit event names the survey, not the answer: the rating stays out of the log
            audit_record(actor=actor, action="affairs.survey_respond", target=survey, org=survey.org)
    except IntegrityError:
        raise ValidationError(_("您已参加过本期调查，感谢您的参与。")) from None
    return response
