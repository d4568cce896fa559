"""Forms of the portal: parsing and field rules only; the services do the rest."""

from __future__ import annotations

from django import forms

from gongjiang.common.forms import bootstrapify


class VerifyForm(forms.Form):
    number = forms.CharField(label="证书编号", max_length=40)
    name = forms.CharField(label="持证人姓名", max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "inputmode": "latin"})
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})
