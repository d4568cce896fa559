"""Template filters of the schools pages."""

from django import template

from gongjiang.schools.tables import percent as _percent

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.857 → "85.7%"; None (nothing to divide) → "—"."""
    return _percent(value)


@register.filter
def times100(value: float | None) -> float:
    return 0 if value is None else round(value * 100, 1)
