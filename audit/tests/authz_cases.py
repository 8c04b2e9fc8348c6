from django.urls import reverse

from core.testing.authz import AuthzCase


def _seed(world):
    from audit.services import audit_record

    audit_record(actor=world.chair_a, action="org.update", target=world.union_a, org=world.union_a)


def _no_union_a_events(world, response):
    assert "甲主席" not in response.content.decode()


CASES = [
    AuthzCase(
        "audit:list",
        lambda w: reverse("audit:list"),
        setup=_seed,
        other_org_check=_no_union_a_events,
        no_perm_status=403,
    ),
]
