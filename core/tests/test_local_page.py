"""Where a form's `next` or `back` may send the browser: a page of this site, under a prefix."""

import pytest
from django.test import RequestFactory

from core.forms import local_page


@pytest.mark.parametrize(
    ("url", "under", "ok"),
    [
        ("/dues/unions/2/wages/?month=2026-11", "/dues/unions/2/wages/", True),
        ("/dues/unions/2/wages/../../3/wages/", "/dues/unions/2/wages/", False),
        ("/dues/unions/2/wages/%2e%2e/%2e%2e/3/wages/", "/dues/unions/2/wages/", False),
        ("/audit/", "/", True),
        ("//evil.example/", "/", False),
        ("https://evil.example/", "/", False),
        ("/\\evil.example", "/", False),
        ("", "/", False),
    ],
)
def test_local_page(url, under, ok):
    request = RequestFactory().get("/")
    assert local_page(request, url, under) is ok
