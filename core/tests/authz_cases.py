from django.urls import reverse

from core.testing.authz import AuthzCase


def _progress(world):
    from core.progress import progress_create

    world.progress = progress_create(kind="t", label="t", requested_by=world.staff_a, org=world.union_a)


CASES = [
    # Every logged-in user has a home page of their own role.
    AuthzCase("core:home", lambda w: reverse("core:home"), other_org_status=200, no_perm_status=200),
    # A progress bar belongs to the user who started the job.
    AuthzCase(
        "core:progress",
        lambda w: reverse("core:progress", args=[w.progress.pk]),
        setup=_progress,
        no_perm_status=404,
    ),
]
