"""What `manage.py seed_demo` hands each app's seed(ctx) function."""

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password

from accounts.models import Role, RoleAssignment, User
from orgs.models import Organization


@dataclass
class SeedContext:
    rng: random.Random
    today: date
    federation: Organization
    unions: list[Organization]  # grassroots unions, largest first
    branches: list[Organization]
    # demo users by username; see DEMO_LOGINS in core/management/commands/seed_demo.py
    users: dict[str, User] = field(default_factory=dict)
    members_n: int = 0  # --members N (0: the app's own small demo amount)
    password: str = "Demo-2026-gonghui"
    log: list[str] = field(default_factory=list)  # lines printed at the end of the seed


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强海燕雪梅晓东晓红春梅丽华文博宇航子涵欣怡浩然梓轩雨萱思远佳琪一鸣"


# Given-name characters usual for men and for women (GIVEN mixes them, for names without a sex).
GIVEN_M = "伟强磊军洋勇杰涛明超刚平华彬鹏辉国志东文博宇航浩然轩远一鸣海峰斌亮健俊"
GIVEN_F = "芳娜秀英敏静丽艳娟兰霞桂玉萍红娥玲芬燕雪梅晓春欣怡雨萱佳琪涵思婷慧"


def chinese_name(rng: random.Random, sex: str = "") -> str:
    """A plausible Chinese name (surname + one or two given-name characters); with `sex` ("M"/"F",
    either case), given-name characters usual for that sex."""
    pool = {"M": GIVEN_M, "F": GIVEN_F}.get(sex.upper(), GIVEN)
    surname = rng.choice(SURNAMES)
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.6 else "")
    return surname + given


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def credit_code(rng: random.Random, region: str = "330106") -> str:
    """A unified social credit code with a valid GB 32100 check character."""
    from core.validators import uscc_check_char

    body = "91" + region + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    return body + uscc_check_char(body)


@cache
def _hashed(password: str) -> str:
    return make_password(password)


def workers(ctx: SeedContext, union_index: int, n: int) -> list[User]:
    """Demo worker accounts (会员) of a union: worker_<union>_<k>, made once and shared by the apps'
    seeds (the board's readers, the proposers and co-signers)."""
    union = ctx.unions[union_index]
    result = []
    for k in range(1, n + 1):
        username = f"worker_{union_index + 1}_{k:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            # one password hash for all demo workers: hashing is the slow part of making users
            user = User.objects.create(
                username=username, password=_hashed(ctx.password), full_name=chinese_name(ctx.rng)
            )
            RoleAssignment.objects.create(user=user, org=union, role=Role.MEMBER)
        result.append(user)
    return result
