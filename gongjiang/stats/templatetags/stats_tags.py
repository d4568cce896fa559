"""Number formatting of the dashboard: counts with separators, shares as percentages, and every
number as a link to the rows behind it when the user may open them."""

from django import template
from django.utils.html import format_html

from gongjiang.common.listing import drill_url

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """0.3312 → 33.1%."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


@register.filter
def num(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{round(value):,}"


@register.filter
def ind(value, target) -> str:
    """A value in its indicator's unit (a share as a percentage, a count with its unit)."""
    if value is None:
        return "—"
    if target.is_share:
        return pct(value)
    return f"{num(value)}{target.unit}"


@register.filter
def gap(value, target) -> str:
    """A signed gap to the pace: +1,234人, −0.4个百分点."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if target.is_share:
        return f"{sign}{abs(value) * 100:.1f}个百分点"
    return f"{sign}{num(abs(value))}{target.unit}"


@register.simple_tag(takes_context=True)
def drill(context, value, url, test_id: str = "", formatted: str = ""):
    """``value`` as a link to ``url`` (the counted rows); plain text when there is no link. The
    list it opens names the figure and links back to this page."""
    text = formatted or num(value)
    if not url:
        return text
    request = context.get("request")
    url = drill_url(url, figure=text, back=request.get_full_path() if request else "/stats/")
    if test_id:
        return format_html('<a href="{}" data-testid="{}">{}</a>', url, test_id, text)
    return format_html('<a href="{}">{}</a>', url, text)


STATUS_CSS = {
    "ahead": "success",
    "on_pace": "primary",
    "behind": "danger",
    "met": "success",
    "unknown": "secondary",
    "no_official": "secondary",
}


@register.filter
def status_css(code: str) -> str:
    return STATUS_CSS.get(code, "secondary")
