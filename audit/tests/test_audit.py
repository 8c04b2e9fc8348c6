import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AuditEvent
from audit.selectors import audit_events_for
from audit.services import audit_record
from orgs import services


def test_audit_event_cannot_be_changed_or_deleted(world):
    event = audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "org.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_database_trigger_refuses_raw_update(world):
    event = audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def _update_then_fail(world):
    with transaction.atomic():
        services.org_update(actor=world.staff_a, org=world.union_a, employee_count=199)
        raise RuntimeError("boom")


def test_failed_service_leaves_no_audit_event(world):
    with pytest.raises(RuntimeError, match="boom"):
        _update_then_fail(world)
    assert AuditEvent.objects.count() == 0
    world.union_a.refresh_from_db()
    assert world.union_a.employee_count == 150


def test_audit_list_is_scoped_to_subtree(world):
    audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    audit_record(actor=world.staff_b, action="org.update", target=world.union_b, org=world.union_b)
    assert [e.actor_label for e in audit_events_for(world.chair_a)] == ["甲干事"]
    assert sorted(e.actor_label for e in audit_events_for(world.fed_admin)) == ["乙干事", "甲干事"]
    assert list(audit_events_for(world.member_a)) == []


def test_audit_page_filters_and_rejects_dates_out_of_order(world, client):
    audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    client.force_login(world.fed_admin)
    r = client.get("/audit/", {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert "起始日期不能晚于截止日期。" in r.content.decode()
    r = client.get("/audit/", {"action": "org.update", "org": world.union_a.pk})
    assert "甲干事" in r.content.decode()
    r = client.get("/audit/", {"org": world.union_b.pk})
    assert "甲干事" not in r.content.decode()


def test_audit_page_query_count(world, client, django_assert_max_num_queries):
    for _ in range(30):
        audit_record(actor=world.staff_a, action="org.update", target=world.union_a, org=world.union_a)
    client.force_login(world.fed_admin)
    with django_assert_max_num_queries(12):
        assert client.get("/audit/").status_code == 200


def test_the_client_address_comes_from_x_real_ip_only_through_a_trusted_proxy(settings):
    from django.test import RequestFactory

    from audit.middleware import client_ip

    rf = RequestFactory()
    behind_nginx = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="10.1.2.3")
    direct = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="10.1.2.3")
    assert (client_ip(behind_nginx), client_ip(direct)) == ("10.1.2.3", "203.0.113.9")
    settings.TRUSTED_PROXIES = {"192.0.2.1"}
    assert client_ip(behind_nginx) == "127.0.0.1"
