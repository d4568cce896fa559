import django_tables2 as tables

from .models import Organisation


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name="名称", linkify=("orgs:organisation_detail", {"pk": tables.A("pk")}))
    uscc = tables.Column(verbose_name="统一社会信用代码")
    kind = tables.Column(verbose_name="类别")
    region = tables.Column(verbose_name="县区")
    domain = tables.Column(verbose_name="重点领域")
    size = tables.Column(verbose_name="规模")
    flags = tables.Column(verbose_name="标识", empty_values=(), orderable=False)

    class Meta:
        model = Organisation
        fields = ()
        sequence = ("name", "uscc", "kind", "region", "domain", "size", "flags")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_flags(self, record):
        return self.value_flags(record) or "—"

    def value_flags(self, record):
        labels = [
            ("链主", record.is_chain_leader),
            ("龙头", record.is_industry_leader),
            ("专精特新", record.is_specialised),
            ("国有", record.is_state_owned),
        ]
        return "、".join(label for label, on in labels if on)
