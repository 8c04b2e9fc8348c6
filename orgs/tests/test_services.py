from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.models import TaskProgress, TaskStatus
from orgs import services
from orgs.models import Organization, OrgKind, OrgWarning


def test_org_create_builds_path_and_audits(world):
    org = services.org_create(
        actor=world.staff_a,
        parent=world.union_a,
        kind=OrgKind.BRANCH,
        name=" 甲公司 二车间分会 ",
        employee_count=40,
    )
    assert org.path == world.union_a.path + f"{org.pk:08d}"
    assert org.depth == 2
    assert org.name == "甲公司 二车间分会"
    event = AuditEvent.objects.get(action="org.create")
    assert (event.actor, event.org, event.target_id) == (world.staff_a, org, str(org.pk))


def test_org_create_refuses_a_union_under_a_union(world):
    with pytest.raises(ValidationError) as e:
        services.org_create(actor=world.fed_admin, parent=world.union_a, kind=OrgKind.UNION, name="错")
    assert e.value.messages == ["不能在此类组织下建立该类型的组织。"]
    assert not Organization.objects.filter(name="错").exists()


def test_org_create_outside_own_subtree_is_refused(world):
    with pytest.raises(ValidationError):
        services.org_create(actor=world.staff_b, parent=world.union_a, kind=OrgKind.BRANCH, name="越权分会")
    assert AuditEvent.objects.count() == 0


def test_credit_code_validated_and_unique(world):
    with pytest.raises(ValidationError) as e:
        services.org_update(actor=world.staff_a, org=world.union_a, credit_code="914403001922038217")
    assert e.value.message_dict == {"credit_code": ["统一社会信用代码校验位不正确，请核对。"]}
    services.org_update(actor=world.staff_b, org=world.union_b, credit_code="914403001922038216")
    with pytest.raises(ValidationError) as e:
        services.org_update(actor=world.staff_a, org=world.union_a, credit_code="914403001922038216")
    assert e.value.message_dict == {"credit_code": ["该统一社会信用代码已登记在其他组织下。"]}
    world.union_a.refresh_from_db()
    assert world.union_a.credit_code == ""


def test_term_dates_out_of_order(world):
    with pytest.raises(ValidationError) as e:
        services.org_update(
            actor=world.staff_a, org=world.union_a, term_start=date(2025, 1, 1), term_end=date(2024, 1, 1)
        )
    assert e.value.message_dict == {"term_end": ["任期届满日期必须晚于任期开始日期。"]}


def test_org_update_records_changes(world):
    services.org_update(actor=world.staff_a, org=world.union_a, employee_count=200, name="甲公司工会")
    event = AuditEvent.objects.get(action="org.update")
    assert event.details == {"changes": {"employee_count": [150, 200]}}


def test_committee_second_chair_refused(world):
    services.committee_member_add(
        actor=world.staff_a, org=world.union_a, name="张三", position="chair", term_start=date(2023, 1, 1)
    )
    with pytest.raises(ValidationError) as e:
        services.committee_member_add(
            actor=world.staff_a, org=world.union_a, name="李四", position="chair", term_start=date(2023, 1, 1)
        )
    assert e.value.message_dict == {"position": ["该组织已有在任主席，请先免去原主席。"]}


def test_warnings_recompute_stores_findings(world):
    services.committee_member_add(
        actor=world.staff_a, org=world.union_a, name="张三", position="member", term_start=date(2023, 1, 1)
    )
    count = services.warnings_recompute(orgs=Organization.objects.all(), today=date(2026, 11, 25))
    codes = sorted(OrgWarning.objects.filter(org=world.union_a).values_list("code", flat=True))
    assert codes == ["committee_size", "no_chair"]
    assert sorted(OrgWarning.objects.filter(org=world.union_b).values_list("code", flat=True)) == [
        "no_committee"
    ]
    assert count == 3


def test_background_recompute_reports_progress(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        progress = services.warnings_recompute_start(actor=world.fed_admin, org=world.fed)
    progress = TaskProgress.objects.get(pk=progress.pk)
    assert progress.status == TaskStatus.DONE
    assert (progress.done, progress.total) == (4, 4)
    assert progress.result == {"orgs": 4, "warnings": 2}
    assert progress.message == "已检查 4 个组织，发现 2 条提醒。"


def test_committee_is_listed_chair_first_then_vice_chairs_members_and_committees(world):
    from orgs import selectors
    from orgs.models import CommitteeMember, Position

    org = world.union_a
    for name, position in [
        ("丁", Position.WOMEN),
        ("丙", Position.MEMBER),
        ("乙", Position.FUNDS_AUDITOR),
        ("甲", Position.VICE_CHAIR),
        ("戊", Position.CHAIR),
    ]:
        CommitteeMember.objects.create(
            org=org, name=name, position=position, sex="F", term_start=date(2024, 1, 1)
        )
    assert [m.name for m in selectors.committee_of(org)] == ["戊", "甲", "丙", "乙", "丁"]


def test_implausible_organization_details_are_refused(world):
    with pytest.raises(ValidationError) as e:
        services.org_update(
            actor=world.chair_a,
            org=world.union_a,
            member_count=99999,
            contact_phone="abc",
            founded_on=date(2099, 1, 1),
        )
    assert e.value.message_dict == {
        "contact_phone": ["联系电话只能包含数字、空格、“-”、“+”和括号。"],
        "founded_on": ["成立日期不能晚于今天。"],
        "member_count": ["会员人数（99999）多于职工人数（150），请核对。"],
    }
    with pytest.raises(ValidationError) as e:
        services.org_create(
            actor=world.chair_a, parent=world.union_a, kind=OrgKind.BRANCH, name="甲公司一车间分会"
        )
    assert e.value.message_dict == {"name": ["上级组织下已有同名组织“甲公司一车间分会”。"]}
    world.union_a.refresh_from_db()
    assert (world.union_a.member_count, world.union_a.contact_phone) == (120, "")
    services.org_update(actor=world.chair_a, org=world.union_a, contact_phone="0571-8888 6666 转 801")
    services.org_update(actor=world.chair_a, org=world.union_a, contact_phone="（0571）88886666")
    world.union_a.refresh_from_db()
    assert world.union_a.contact_phone == "（0571）88886666"
    # A name registered with ASCII brackets is the same name written with Chinese ones.
    services.org_create(
        actor=world.chair_a, parent=world.union_a, kind=OrgKind.BRANCH, name="二车间(东区)分会"
    )
    with pytest.raises(ValidationError) as e:
        services.org_create(
            actor=world.chair_a, parent=world.union_a, kind=OrgKind.BRANCH, name="二车间（东区）分会"
        )
    assert e.value.message_dict == {"name": ["上级组织下已有同名组织“二车间（东区）分会”。"]}


def test_member_count_is_the_registrys_once_it_holds_members(world):
    from members.tests.factories import make_member
    from orgs.forms import OrgForm

    make_member(world, i=1)
    form = OrgForm(instance=world.union_a)
    assert form.fields["member_count"].disabled
