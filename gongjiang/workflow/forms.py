"""The parts of a step's form that every workflow shares: the reason or note, and attachments."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongjiang.core.validators import reason_is_given

from .services import MAX_ATTACHMENTS, attachment_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Zero or more files, each checked as attachments are (type, content, size)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "附件")
        kwargs.setdefault("help_text", "PDF、图片或 Office 文件，每个不超过 20 MB，可多选")
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("class", "form-control form-control-sm")
        self.widget.attrs.setdefault(
            "accept", ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.wps,.et"
        )

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError("请上传附件")
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError("一次最多上传%d个附件" % MAX_ATTACHMENTS)
        cleaned = [super(AttachmentsField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            attachment_check(upload)
        return cleaned


class StepForm(forms.Form):
    """A step with a reason (required when the step's declaration says so) and, where the step
    takes them, attachments."""

    note = forms.CharField(
        label="意见", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, label: str = "意见", required: bool = False, attachments: bool = False, **kw):
        super().__init__(*args, **kw)
        self.fields["note"].label = label
        self.fields["note"].required = required
        self.fields["note"].widget.attrs.setdefault("class", "form-control form-control-sm")
        if attachments:
            self.fields["files"] = AttachmentsField()

    def clean_note(self) -> str:
        note = (self.cleaned_data.get("note") or "").strip()
        if self.fields["note"].required and not reason_is_given(note):
            raise ValidationError("请填写%s（至少2个字）" % self.fields["note"].label)
        return note
