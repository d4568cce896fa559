"""Colours live on the choices (as NetBox's ``ChoiceSet.colors``): a status's Bootstrap colour is
declared beside its label, and one function draws every status badge, on pages and in tables.

    @coloured(county_review="primary", recognised="success", revoked="danger")
    class CarrierStatus(models.TextChoices):
        ...
"""

from __future__ import annotations

from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString


def coloured(**colours: str):
    """Attach ``colours`` (choice value → Bootstrap colour) to a TextChoices class."""

    def apply(choices: type[models.TextChoices]) -> type[models.TextChoices]:
        unknown = set(colours) - set(choices.values)
        if unknown:
            raise ValueError(f"{choices.__name__}: colours for unknown values {unknown}")
        choices.colours = dict(colours)
        return choices

    return apply


def colour_of(choices: type[models.TextChoices], value: str) -> str:
    return getattr(choices, "colours", {}).get(value, "secondary")


def badge(choices: type[models.TextChoices], value: str, *, testid: str = "") -> SafeString:
    """One status badge: the value's label in the value's colour."""
    try:
        label = choices(value).label
    except ValueError:
        label = value
    if testid:
        return format_html(
            '<span class="badge text-bg-{}" data-testid="{}">{}</span>',
            colour_of(choices, value),
            testid,
            label,
        )
    return format_html('<span class="badge text-bg-{}">{}</span>', colour_of(choices, value), label)


def field_choices(obj: models.Model, field: str) -> type[models.TextChoices] | None:
    """The TextChoices class behind ``obj``'s ``field`` (declared on the field as ``choices_class``
    by ``status_field``), so a template needs only the object."""
    return getattr(obj._meta.get_field(field), "choices_class", None)


def object_badge(obj: models.Model, field: str = "status", *, testid: str = "") -> SafeString:
    choices = field_choices(obj, field)
    value = getattr(obj, field)
    if choices is None:
        return format_html('<span class="badge text-bg-secondary">{}</span>', value)
    return badge(choices, value, testid=testid)


class StatusField(models.CharField):
    """A CharField whose choices are a coloured TextChoices class, remembered for the badge."""

    def __init__(self, *args, choices_class: type[models.TextChoices] | None = None, **kwargs):
        self.choices_class = choices_class
        if choices_class is not None:
            kwargs["choices"] = choices_class.choices
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_class", None)
        # Migrations see a plain CharField: the colours are presentation, not schema.
        return name, "django.db.models.CharField", args, kwargs
