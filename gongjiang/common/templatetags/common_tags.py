"""Template tags every app uses."""

from django import template

from gongjiang.common.badges import object_badge

register = template.Library()


@register.simple_tag
def status_badge(obj, field: str = "status", testid: str = ""):
    """``{% status_badge carrier %}``: the one status badge, coloured as its choices declare."""
    return object_badge(obj, field, testid=testid)
