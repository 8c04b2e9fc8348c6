"""A small, fixed world for tests: one federation with two unions (A with a branch, B), and a user
for each persona the authorization tests need."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Role, RoleAssignment, User
from orgs.models import PATH_STEP, Organization, OrgKind

PASSWORD = "Correct-Horse-42"


def make_org(kind: str, name: str, parent: Organization | None = None, **fields) -> Organization:
    """Create an organization directly (tests only; the app goes through orgs.services.org_create)."""
    org = Organization.objects.create(kind=kind, name=name, parent=parent, path=f"tmp-{name}", **fields)
    org.depth = parent.depth + 1 if parent else 0
    org.path = (parent.path if parent else "") + f"{org.pk:0{PATH_STEP}d}"
    org.save(update_fields=["path", "depth"])
    return org


def make_user(username: str, role: str | None = None, org: Organization | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=fields.pop("full_name", username), **fields
    )
    if role and org:
        RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


@dataclass
class World:
    fed: Organization
    union_a: Organization
    branch_a: Organization
    union_b: Organization
    fed_admin: User
    chair_a: User
    staff_a: User
    finance_a: User
    mediator_a: User
    secretariat_a: User
    delegate_a: User
    member_a: User
    staff_b: User
    chair_b: User

    def persona(self, role: str, side: str = "a") -> User:
        """A user holding `role` on union A (or B)."""
        key = {
            Role.FEDERATION_ADMIN: "fed_admin",
            Role.UNION_CHAIR: "chair",
            Role.UNION_STAFF: "staff",
            Role.FINANCE: "finance",
            Role.MEDIATION: "mediator",
            Role.SECRETARIAT: "secretariat",
            Role.DELEGATE: "delegate",
            Role.MEMBER: "member",
        }[Role(role)]
        if key == "fed_admin":
            return self.fed_admin
        name = f"{key}_{side}"
        if hasattr(self, name):
            return getattr(self, name)
        union = self.union_a if side == "a" else self.union_b
        user = make_user(name, role, union)
        setattr(self, name, user)
        return user


def build_world() -> World:
    fed = make_org(OrgKind.FEDERATION, "测试街道总工会")
    union_a = make_org(
        OrgKind.UNION,
        "甲公司工会",
        fed,
        member_count=120,
        employee_count=150,
        term_start=date(2023, 1, 1),
        term_end=date(2028, 1, 1),
    )
    branch_a = make_org(OrgKind.BRANCH, "甲公司一车间分会", union_a)
    union_b = make_org(OrgKind.UNION, "乙公司工会", fed, member_count=40, employee_count=60)
    return World(
        fed=fed,
        union_a=union_a,
        branch_a=branch_a,
        union_b=union_b,
        fed_admin=make_user("fed_admin", Role.FEDERATION_ADMIN, fed, full_name="街道管理员"),
        chair_a=make_user("chair_a", Role.UNION_CHAIR, union_a, full_name="甲主席"),
        staff_a=make_user("staff_a", Role.UNION_STAFF, union_a, full_name="甲干事"),
        finance_a=make_user("finance_a", Role.FINANCE, union_a),
        mediator_a=make_user("mediator_a", Role.MEDIATION, union_a),
        secretariat_a=make_user("secretariat_a", Role.SECRETARIAT, union_a),
        delegate_a=make_user("delegate_a", Role.DELEGATE, union_a),
        member_a=make_user("member_a", Role.MEMBER, union_a, full_name="甲会员"),
        staff_b=make_user("staff_b", Role.UNION_STAFF, union_b, full_name="乙干事"),
        chair_b=make_user("chair_b", Role.UNION_CHAIR, union_b),
    )


def seed_context(world: World, users: dict, *, branches: list | None = None, rng_seed: int = 1):
    """A demo seed's context over the test world (unions A and B, the demo's fixed date), for
    testing one app's `seed` with the demo users it expects under their demo names."""
    import random

    from core.seed import SeedContext

    return SeedContext(
        rng=random.Random(rng_seed),  # noqa: S311 - demo data
        today=date(2026, 11, 25),
        federation=world.fed,
        unions=[world.union_a, world.union_b],
        branches=branches or [],
        users=users,
    )
