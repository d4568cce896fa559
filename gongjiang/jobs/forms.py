from django import forms

from gongjiang.common.forms import bootstrapify

from .registry import kinds_for


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据种类")
    file = forms.FileField(label="文件", help_text="支持 .xlsx、.xls、.ods、.csv（UTF-8 或 GBK 编码）")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds_for(user)]
        bootstrapify(self)
