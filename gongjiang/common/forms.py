"""Form helpers shared by every app."""

from django.core.exceptions import ValidationError


def apply_validation_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors at their fields, others on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def bootstrapify(form, *, small: bool = False) -> None:
    """Give every widget of ``form`` its Bootstrap 5 class (one place for form looks)."""
    for field in form.fields.values():
        widget = field.widget
        if getattr(widget, "input_type", "") == "checkbox":
            css = "form-check-input"
        elif widget.__class__.__name__ in ("Select", "SelectMultiple", "NullBooleanSelect"):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def set_empty_labels(filterset, label: str = "全部") -> None:
    """Filter dropdowns say 全部 for "no filter" instead of Django's dashes."""
    for field in filterset.form.fields.values():
        if hasattr(field, "empty_label"):
            field.empty_label = label
        choices = getattr(field, "choices", None)
        if choices and not hasattr(field, "queryset"):
            field.choices = [("", label) if value == "" else (value, text) for value, text in choices]
