"""Form helpers shared by every app."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """Django's Select written out in Python: the same HTML as its templates, which render one
    template per option and made the filter bar of a list page (a dozen drop-downs, a few hundred
    options) cost more than the page's SQL. ``bootstrapify`` gives it to every plain Select."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>', str(o["value"]), flatatt(o["attrs"]), o["label"]
                )
                for o in options
            )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped by format_html)


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors at their fields, others on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


DASHES = "---------"  # Django's empty choice


def bootstrapify(form, *, small: bool = False) -> None:
    """Give every widget of ``form`` its Bootstrap 5 class and its drop-downs a Chinese empty
    choice, 请选择 instead of Django's dashes (one place for form looks)."""
    for field in form.fields.values():
        _relabel_empty(field, DASHES, "请选择")
        widget = field.widget
        if type(widget) is forms.Select:
            widget.__class__ = QuickSelect
        if getattr(widget, "input_type", "") == "checkbox":
            css = "form-check-input"
        elif widget.__class__.__name__ in ("Select", "QuickSelect", "SelectMultiple", "NullBooleanSelect"):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def set_empty_labels(filterset, label: str = "全部") -> None:
    """Filter dropdowns say 全部 for "no filter" instead of Django's dashes."""
    for field in filterset.form.fields.values():
        _relabel_empty(field, None, label)


def _relabel_empty(field, old: str | None, label: str) -> None:
    """Name the empty choice of a drop-down ``label`` (only where it is ``old``, when given). A
    field with ``empty_label`` (model choices, django-filter's choices) adds that choice itself
    when it lists its choices, so its choice list is left alone: rewriting it would add the empty
    choice a second time."""
    if hasattr(field, "empty_label"):
        if field.empty_label is not None and (old is None or field.empty_label == old):
            field.empty_label = label
            raw = getattr(field.choices, "choices", None)
            if raw is not None and not hasattr(field, "queryset"):
                # django-filter's choice fields: the form's copy of the widget still lists the
                # choices of the filter's original field; setting them again binds them here.
                field.choices = raw
        return
    choices = getattr(field, "choices", None)
    if choices:
        field.choices = [
            ("", label) if value == "" and (old is None or text == old) else (value, text)
            for value, text in choices
        ]


# The largest row id a database holds (BigAutoField); a longer number in a URL is no row's id.
MAX_ROW_ID = 2**63 - 1


class RowIdField(forms.IntegerField):
    """A row id from a URL parameter: a whole number 1 … MAX_ROW_ID, so an over-long number is an
    invalid filter (no rows), not a 500 from the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ROW_ID)
        super().__init__(**kwargs)


class RowIdFilter(django_filters.NumberFilter):
    """A list filter on a row id (``employer=``, ``teacher=``), parsed by ``RowIdField``."""

    field_class = RowIdField


class YearField(forms.IntegerField):
    """A year from a URL parameter: 1949 … 2100, so an absurd number is an invalid filter (no rows),
    not a 500 from the database's date arithmetic."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1949)
        kwargs.setdefault("max_value", 2100)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A list filter on a year (``year=2026``), parsed by ``YearField``."""

    field_class = YearField
