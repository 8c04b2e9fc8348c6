"""A year typed into a filter, or into the address, far outside the calendar gives the page's
default year (pages) or a 422 (API), never a server error."""

import pytest
from django.urls import reverse

from core.forms import year_param


def test_year_param():
    assert [year_param(v) for v in ("2026", "1900", "2100", "99999", "0", "-1", "x", None, "")] == [
        2026,
        1900,
        2100,
        None,
        None,
        None,
        None,
        None,
        None,
    ]
    assert year_param("10000", 2026) == 2026


@pytest.mark.parametrize("year", ["10000", "99999", "0", "abc"])
def test_pages_with_a_year_out_of_range(world, client, year):
    client.force_login(world.chair_a)
    assert client.get(reverse("dues:ledger", args=[world.union_a.pk]), {"year": year}).status_code == 200
    assert client.get(reverse("mediation:stats"), {"year": year}).status_code == 200
    client.force_login(world.fed_admin)
    assert client.get(reverse("deadlines:calendar"), {"year": year}).status_code == 200


def test_api_with_a_year_out_of_range(world, client):
    client.force_login(world.fed_admin)
    assert client.get(f"/api/v1/dues/orgs/{world.union_a.pk}/ledger", {"year": 99999}).status_code == 422
    assert client.get("/api/v1/deadlines/calendar", {"year": 99999}).status_code == 422
    assert client.get("/api/v1/mediation/stats", {"year": 10000}).status_code == 422
    assert client.get("/api/v1/deadlines/calendar", {"year": 2026}).status_code == 200
