from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import clock
from proposals.models import Proposal
from proposals.models import ProposalStatus as S

from .factories import make_call, make_proposal

TODAY = timezone.localdate()


def _many(world, n=12):
    call = make_call(world)
    for i in range(n):
        make_proposal(
            world,
            call=call,
            status=[S.PENDING_REVIEW, S.ASSIGNED, S.EVALUATED][i % 3],
            title=f"提案事项{i}",
            due_on=TODAY - timedelta(days=1),
        )
    return call


def test_home_for_a_member_lists_calls_requests_and_own(client, world):
    call = make_call(world)
    mine = make_proposal(
        world,
        call=call,
        status=S.COSIGNING,
        proposer=world.member_a,
        cosigners=[world.delegate_a, world.staff_a],
    )
    client.force_login(world.delegate_a)
    body = client.get(reverse("proposals:home")).content.decode()
    assert "请您附议" in body and mine.title in body and "提交提案" in body
    assert "发起提案征集" not in body


def test_home_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    _many(world, 3)
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("proposals:home")).status_code == 200
    _many(world, 30)
    with django_assert_max_num_queries(14):
        r = client.get(reverse("proposals:home"))
    assert r.context["to_review"] == 11
    assert r.context["overdue_n"] == 11


def test_call_detail_query_count(client, world, django_assert_max_num_queries):
    call = _many(world, 30)
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("proposals:call_detail", args=[call.pk]))
    assert len(r.context["proposals"]) == 30
    r = client.get(reverse("proposals:call_detail", args=[call.pk]), {"status": "assigned"})
    assert len(r.context["proposals"]) == 10


def test_submit_through_the_form(client, world):
    call = make_call(world)
    client.force_login(world.member_a)
    r = client.get(reverse("proposals:submit", args=[call.pk]))
    labels = [str(c[1]) for c in r.context["form"].fields["cosigners"].choices]
    assert labels == ["delegate_a", "secretariat_a", "甲主席", "甲干事"]
    r = client.post(
        reverse("proposals:submit", args=[call.pk]),
        {
            "title": "增加班车",
            "reason": "新厂区远",
            "suggestion": "早晚各加一班",
            "cosigners": [world.delegate_a.pk],
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors == {"cosigners": ["提案须有至少 2 名附议人。"]}
    r = client.post(
        reverse("proposals:submit", args=[call.pk]),
        {
            "title": "增加班车",
            "reason": "新厂区远",
            "suggestion": "早晚各加一班",
            "cosigners": [world.delegate_a.pk, world.chair_a.pk],
        },
    )
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("proposals:detail", args=[p.pk])


def test_return_without_reasons_shows_the_error(client, world):
    p = make_proposal(world)
    client.force_login(world.staff_a)
    r = client.post(reverse("proposals:review", args=[p.pk]), {"decision": "return", "note": ""}, follow=True)
    assert "退回提案须写明理由。" in r.content.decode()
    p.refresh_from_db()
    assert p.status == S.PENDING_REVIEW


def test_detail_shows_the_forms_of_the_state(client, world):
    p = make_proposal(world, status=S.ASSIGNED, due_on=TODAY - timedelta(days=2))
    client.force_login(world.staff_a)
    r = client.get(reverse("proposals:detail", args=[p.pk]))
    assert "reply_form" in r.context and "follow_up_form" in r.context and "review_form" not in r.context
    assert r.context["overdue"] is True
    client.force_login(world.member_a)
    r = client.get(reverse("proposals:detail", args=[p.pk]))
    assert "reply_form" not in r.context


def test_overdue_page(client, world, monkeypatch):
    p = make_proposal(world, status=S.ASSIGNED, due_on=TODAY + timedelta(days=1))
    client.force_login(world.secretariat_a)
    assert p.title not in client.get(reverse("proposals:overdue")).content.decode()
    monkeypatch.setattr(clock, "today", lambda: TODAY + timedelta(days=4))
    r = client.get(reverse("proposals:overdue"))
    assert [x.days_over for x in r.context["proposals"]] == [3]
    assert p.title in r.content.decode()


def test_report_page(client, world, django_assert_max_num_queries):
    call = _many(world, 9)
    client.force_login(world.chair_a)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("proposals:report", args=[call.pk]))
    body = r.content.decode()
    assert "关于第三届职工代表大会第二次会议职工提案办理情况的报告" in body
    assert (r.context["total"], r.context["accepted"], r.context["overdue"]) == (9, 6, 3)
    assert "proposals/proposals.css" in body


@pytest.mark.parametrize("user", ["member_a", "staff_a"])
def test_api(client, world, user):
    p = make_proposal(world)
    client.force_login(getattr(world, user))
    r = client.get("/api/v1/proposals/")
    assert [(x["id"], x["status"], x["proposer"]) for x in r.json()["items"]] == [
        (p.pk, "pending_review", "甲会员")
    ]
    r = client.get(f"/api/v1/proposals/{p.pk}")
    assert r.json()["title"] == "增设夜班职工休息室"


def test_cosigner_declines_from_the_page(client, world):
    from proposals.models import Cosign

    p = make_proposal(world, status=S.COSIGNING)
    c = Cosign.objects.get(proposal=p, user=world.delegate_a)
    client.force_login(world.delegate_a)
    r = client.get(reverse("proposals:detail", args=[p.pk]))
    assert r.context["my_cosign"] == c
    r = client.post(
        reverse("proposals:cosign_respond", args=[c.pk]),
        {"decision": "decline", "note": "不了解"},
        follow=True,
    )
    assert "您已谢绝附议。" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "declined"
    # someone else's co-sign request is not found
    other = Cosign.objects.get(proposal=p, user=world.secretariat_a)
    r = client.post(reverse("proposals:cosign_respond", args=[other.pk]), {"decision": "confirm"})
    assert r.status_code == 404
