"""Small helpers for dues tests: members are created directly (the members app owns their services)."""

from datetime import date
from itertools import count

from core import crypto
from core.validators import id_check_char, mask_id_number
from members.models import Member, MemberStatus

_seq = count(1)


def id_number(n: int, birth: str = "19900101") -> str:
    body = f"330106{birth}{n % 1000:03d}"
    return body + id_check_char(body)


def make_member(org, name: str, *, status=MemberStatus.ACTIVE, member_no: str | None = None, joined_on=None):
    n = next(_seq)
    code = id_number(n)
    return Member.objects.create(
        org=org,
        name=name,
        name_pinyin=f"p{n:05d}",
        id_number_enc=crypto.encrypt(code),
        id_number_hash=crypto.blind_index(code, "member.id_number"),
        id_number_masked=mask_id_number(code),
        id_last4=code[-4:],
        birth_date=date(1990, 1, 1),
        sex="M",
        member_no=member_no if member_no is not None else f"T{n:05d}",
        status=status,
        joined_on=joined_on or date(2020, 1, 1),
    )
