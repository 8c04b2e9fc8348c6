from core.seed import SeedContext

from .holidays import install


def seed(ctx: SeedContext) -> None:
    """The 2026/2027 holiday table (idempotent; the migration normally installed it already)."""
    n = install()
    ctx.log.append(f"deadlines: holiday table ready ({n} rows added)")
