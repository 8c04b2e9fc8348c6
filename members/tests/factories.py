"""Test helpers: valid people and members."""

import random
from datetime import date

from members import services
from members.seed import generate_people, id_number

_rng = random.Random(7)


def person(i: int = 0, **over) -> dict:
    p = next(generate_people(random.Random(i), 1, date(2026, 11, 25), start_seq=100 + i))
    data = {
        k: p[k]
        for k in ("name", "id_number", "phone", "ethnicity", "department", "post", "household_registration")
    }
    data.update(over)
    return data


def make_member(world, org=None, i: int = 0, approve: bool = True, actor=None, **over):
    return services.member_create(
        org=org or world.union_a, data=person(i, **over), actor=actor or world.staff_a, approve=approve
    )


ZHANG_SAN_ID = id_number("110105", date(1985, 3, 7), 12, True)
