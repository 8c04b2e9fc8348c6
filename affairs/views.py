from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import apply_errors, flash_error, flash_form_errors
from orgs import access

from . import clock, rules, selectors, services
from .forms import AnswerForm, AskForm, ItemForm, RespondForm, SurveyForm
from .models import AffairItem, Category, Question, Survey
from .permissions import AFFAIRS_MANAGE, AFFAIRS_VIEW


@access.permission_required(AFFAIRS_VIEW)
def home_view(request):
    org = selectors.home_board(request.user)
    if org is not None:
        return redirect("affairs:board", org_id=org.pk)
    boards = selectors.boards_for(request.user)
    return render(request, "affairs/home.html", {"boards": boards[:300]})


@access.permission_required(AFFAIRS_VIEW)
def board_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_VIEW, org_id)
    ctx = selectors.board(org, request.user)
    ctx.update(org=org, ask_form=AskForm(), may_manage=access.can(request.user, AFFAIRS_MANAGE, org))
    if ctx["may_manage"]:
        ctx["summary"] = selectors.manager_summary(org)
    return render(request, "affairs/board.html", ctx)


@access.permission_required(AFFAIRS_VIEW)
def item_view(request, pk: int):
    item = access.get_for_user(AffairItem.objects.select_related("org"), request.user, AFFAIRS_VIEW, pk=pk)
    may_manage = access.can(request.user, AFFAIRS_MANAGE, item.org)
    state = rules.publication_state(item.publish_from, item.publish_until, clock.today())
    if state != "current" and not may_manage:
        raise Http404
    services.receipt_record(item=item, actor=request.user)
    ctx = {
        "item": item,
        "state": state,
        "may_manage": may_manage,
        "ask_form": AskForm(initial={"item": item.pk}),
        "questions": item.questions.filter(status="answered").order_by("-answered_on")[:20],
    }
    if may_manage:
        ctx.update(selectors.item_readers(item))
    return render(request, "affairs/item.html", ctx)


@access.permission_required(AFFAIRS_MANAGE)
def item_create_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_MANAGE, org_id)
    form = ItemForm(request.POST or None, initial={"publish_from": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_publish(org=org, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已发布：%(t)s") % {"t": item.title})
            return redirect("affairs:manage", org_id=org.pk)
    return render(request, "affairs/item_form.html", {"form": form, "org": org})


@access.permission_required(AFFAIRS_MANAGE)
def manage_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_MANAGE, org_id)
    ctx = {
        "org": org,
        "items": selectors.items_for_manager(org),
        "audience": selectors.audience(org).count(),
        "summary": selectors.manager_summary(org),
        "categories": dict(Category.choices),
    }
    return render(request, "affairs/manage.html", ctx)


@require_POST
@access.permission_required(AFFAIRS_VIEW)
def ask_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_VIEW, org_id)
    form = AskForm(request.POST)
    item = None
    if form.is_valid() and form.cleaned_data.get("item"):
        item = access.get_for_user(
            AffairItem.objects.filter(org=org), request.user, AFFAIRS_VIEW, pk=form.cleaned_data["item"]
        )
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            q = services.question_ask(org=org, item=item, body=form.cleaned_data["body"], actor=request.user)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(
                request, _("问题已提交，工会将在 %(d)s 前答复。") % {"d": q.due_on.strftime("%Y-%m-%d")}
            )
    if item is not None:
        return redirect("affairs:item", pk=item.pk)
    return redirect("affairs:board", org_id=org.pk)


@access.permission_required(AFFAIRS_MANAGE)
def questions_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_MANAGE, org_id)
    state = request.GET.get("state", "open")
    ctx = {
        "org": org,
        "state": state,
        "questions": selectors.questions_for_manager(org, state=state),
        "summary": selectors.manager_summary(org),
        "answer_days": rules.setting("answer_days"),
    }
    return render(request, "affairs/questions.html", ctx)


@access.permission_required(AFFAIRS_VIEW)
def question_view(request, pk: int):
    q = selectors.question_for_user(request.user, pk)
    today = clock.today()
    may_manage = access.can(request.user, AFFAIRS_MANAGE, q.org)
    ctx = {
        "q": q,
        "may_manage": may_manage,
        "overdue": rules.is_overdue(q.status, q.due_on, today),
        "days_left": rules.days_left(q.due_on, today),
        "answer_form": AnswerForm() if may_manage and q.status == "open" else None,
    }
    return render(request, "affairs/question.html", ctx)


@require_POST
@access.permission_required(AFFAIRS_MANAGE)
def answer_view(request, pk: int):
    q = access.get_for_user(Question.objects.select_related("org"), request.user, AFFAIRS_MANAGE, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.question_answer(question=q, answer=form.cleaned_data["answer"], actor=request.user)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(request, _("已答复。"))
    else:
        messages.error(request, _("请填写答复内容。"))
    return redirect("affairs:question", pk=q.pk)


@access.permission_required(AFFAIRS_MANAGE)
def survey_create_view(request, org_id: int):
    org = access.get_org_for_user(request.user, AFFAIRS_MANAGE, org_id)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(org=org, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("已发起满意度调查。"))
            return redirect("affairs:survey", pk=survey.pk)
    return render(request, "affairs/survey_form.html", {"form": form, "org": org})


@access.permission_required(AFFAIRS_VIEW)
def survey_view(request, pk: int):
    survey = access.get_for_user(Survey.objects.select_related("org"), request.user, AFFAIRS_VIEW, pk=pk)
    may_manage = access.can(request.user, AFFAIRS_MANAGE, survey.org)
    state = rules.publication_state(survey.opens_on, survey.closes_on, clock.today())
    done = survey.responses.filter(user=request.user).exists()
    ctx = {
        "survey": survey,
        "state": state,
        "done": done,
        "may_manage": may_manage,
        "form": RespondForm() if state == "current" and not done else None,
    }
    if may_manage:
        ctx["results"] = selectors.survey_results(survey)
    return render(request, "affairs/survey.html", ctx)


@require_POST
@access.permission_required(AFFAIRS_VIEW)
def survey_respond_view(request, pk: int):
    survey = access.get_for_user(Survey.objects.select_related("org"), request.user, AFFAIRS_VIEW, pk=pk)
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.survey_respond(survey=survey, actor=request.user, **form.cleaned_data)
        except ValidationError as e:
            flash_error(request, e)
        else:
            messages.success(request, _("感谢您参加满意度调查。"))
    else:
        messages.error(request, _("请选择满意程度。"))
    return redirect("affairs:survey", pk=survey.pk)
