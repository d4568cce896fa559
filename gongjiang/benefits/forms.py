"""Forms of benefits: the talent's confirmation of an offer."""

from __future__ import annotations

from django import forms

from gongjiang.common.forms import bootstrapify
from gongjiang.workflow.forms import AttachmentsField


class ConfirmForm(forms.Form):
    bank_name = forms.CharField(label="开户银行", max_length=60, help_text="如：中国银行连云港分行")
    account = forms.CharField(
        label="银行账号", max_length=40, help_text="本人名下的银行卡或账户，12至30位数字"
    )
    consent = forms.BooleanField(
        label="我确认以上账户为本人账户，同意按政策规定核实并发放，信息不实愿承担责任", required=False
    )
    files = AttachmentsField(label="附件", help_text="如银行卡照片；PDF 或图片，可不传")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrapify(self, small=True)
        self.fields["files"].widget.attrs["class"] = "form-control form-control-sm"


class ApplicationForm(ConfirmForm):
    """An application's own part (the level and amount come from the engine, not the form)."""

    files = AttachmentsField(
        label="申请材料", help_text="如证书、劳动合同或社保缴纳证明；PDF、图片或 Office 文件"
    )
