from django import template

register = template.Library()


@register.filter
def w5(value, total) -> str:
    """A width class (w-0 … w-100 in steps of 5) for value/total, for bars without inline styles."""
    try:
        v, t = int(value), int(total)
    except (TypeError, ValueError):
        return "w-0"
    if t <= 0:
        return "w-0"
    return f"w-{min(100, round(v * 100 / t / 5) * 5)}"


@register.filter
def get_item(d, key):
    return d.get(key) if hasattr(d, "get") else None


@register.filter
def passed_options(options) -> list:
    """The options of a published result that passed (the elected candidates), in ballot order."""
    return [o for o in options or () if o.get("passed")]
