"""Helpers that build a congress through the services (tests only)."""

from datetime import date

from congress import services
from congress.models import Category


def make_term(world, *, employees=600, women=240, n_cons=3, delegates=None, actor=None):
    actor = actor or world.staff_a
    term = services.term_create(
        actor=actor,
        org=world.union_a,
        number=1,
        starts_on=date(2025, 1, 1),
        ends_on=date(2028, 1, 1),
        employees=employees,
        women_employees=women,
        members=employees,
        seat_formula_key="national",
    )
    per = employees // n_cons
    cons = [
        services.constituency_add(actor=actor, term=term, name=f"第{i + 1}车间", employees=per)
        for i in range(n_cons)
    ]
    term.refresh_from_db()
    n = term.seats if delegates is None else delegates
    out = []
    for i in range(n):
        c = cons[i % n_cons]
        c.refresh_from_db()
        out.append(
            services.delegate_add(
                actor=actor,
                term=term,
                constituency=c,
                name=f"代表{i + 1:02d}",
                sex="f" if i % 5 < 2 else "m",
                category=Category.MANAGER if i % 10 == 0 else Category.FRONT_LINE,
                is_presidium=i < 7,
            )
        )
    return term, cons, out


def open_session(world, term, *, present=None, actor=None):
    actor = actor or world.staff_a
    s = services.session_create(
        actor=actor, term=term, title="一届一次职代会", held_on=date(2026, 3, 20), venue="大礼堂"
    )
    services.session_open(actor=actor, session=s)
    dels = list(term.delegates.filter(status="active").order_by("number"))
    for d in dels[: (len(dels) if present is None else present)]:
        services.checkin_manual(actor=actor, session=s, delegate=d)
    return s
