"""No stored data joins a delegate to a choice in a secret poll."""

import json

import pytest
from django.apps import apps
from django.db import connection, models

from audit.models import AuditEvent
from congress import services
from congress.models import Ballot, Participation

from .factories import make_term, open_session

CANDIDATES = ["欧阳春晓", "司马秋实", "诸葛夏至", "上官冬青"]


def _secret_election(world):
    term, cons, dels = make_term(world, employees=600)
    s = open_session(world, term)
    poll = services.poll_create(
        actor=world.staff_a, session=s, kind="election", title="选举委员", seats=3, candidates=CANDIDATES
    )
    services.poll_open(actor=world.staff_a, poll=poll)
    votes = {}
    patterns = [["c1", "c2", "c3"], ["c4"], ["c2", "c4"], ["c1"], []]
    for i, d in enumerate(dels[:25]):
        choice = patterns[i % len(patterns)]
        services.ballot_cast(actor=d.user, poll=poll, delegate=d, choices=choice)
        votes[d.pk] = choice
    return term, dels[:25], poll, votes


def test_secret_ballots_have_no_delegate_no_time_and_are_rekeyed_at_close(
    world, django_capture_on_commit_callbacks
):
    term, voters, poll, votes = _secret_election(world)
    for model in (Ballot, Participation):
        kinds = {type(f) for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        assert not kinds & {models.DateTimeField, models.DateField, models.TimeField}, model
    assert {f.name for f in Participation._meta.concrete_fields} == {"id", "org", "poll", "delegate", "via"}
    assert Ballot.objects.filter(poll=poll, delegate__isnull=False).count() == 0
    before = set(Ballot.objects.filter(poll=poll).values_list("id", flat=True))
    with django_capture_on_commit_callbacks() as callbacks:
        services.poll_close(actor=world.staff_a, poll=poll)
    assert [c.__self__.name for c in callbacks] == ["ballots_vacuum"]  # the old row versions go
    after = list(Ballot.objects.filter(poll=poll).values_list("id", "choices"))
    assert len(after) == 25
    assert before.isdisjoint({pk for pk, _c in after})
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(DISTINCT xmin::text) FROM congress_ballot WHERE poll_id = %s", [poll.pk]
            )
            assert cur.fetchone()[0] == 1  # all rewritten by the closing transaction


def test_no_table_joins_a_delegate_to_a_choice(world):
    term, voters, poll, votes = _secret_election(world)
    services.poll_close(actor=world.staff_a, poll=poll)
    voter_ids = {d.pk for d in voters}
    user_ids = {d.user_id for d in voters}
    names = {d.name for d in voters}
    choice_markers = set(CANDIDATES) | {'"c1"', '"c2"', '"c3"', '"c4"'}
    delegate_model = apps.get_model("congress", "Delegate")
    user_model = apps.get_model("accounts", "User")
    checked = 0
    for model in apps.get_models():
        if model._meta.db_table not in connection.introspection.table_names():
            continue
        fk_delegate = [
            f.attname
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is delegate_model
        ]
        fk_user = [
            f.attname for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model
        ]
        for row in model._base_manager.all().values():
            checked += 1
            text = json.dumps(row, default=str, ensure_ascii=False)
            names_voter = (
                any(row[a] in voter_ids for a in fk_delegate)
                or any(row[a] in user_ids for a in fk_user)
                or any(n in text for n in names)
            )
            if model is delegate_model or model is user_model:
                names_voter = True
            if names_voter:
                # a row about a voter must say nothing about what was chosen in this poll
                hits = [m for m in choice_markers if m in text]
                if model._meta.label_lower == "audit.auditevent" and row["action"] != "congress.ballot_cast":
                    continue  # e.g. the poll's creation lists the candidates, with the secretariat as actor
                assert hits == [], f"{model._meta.label} row {row} names a voter and a choice {hits}"
    assert checked > 100
    cast = AuditEvent.objects.filter(action="congress.ballot_cast")
    assert cast.count() == 25
    assert all(set(e.details) == {"delegate", "via"} for e in cast)


@pytest.mark.django_db(transaction=True)
def test_ballots_vacuum_runs_outside_a_transaction():
    from congress.tasks import ballots_vacuum

    assert ballots_vacuum.call() == "done"
