"""Tables of the talent database: each drives its list page and its export."""

import django_tables2 as tables

from gongjiang.common.badges import object_badge

from .models import Certificate, Person


class PersonTable(tables.Table):
    name = tables.Column(verbose_name="姓名", linkify=("talents:person_detail", {"pk": tables.A("pk")}))
    id_masked = tables.Column(verbose_name="身份证号", accessor="id_masked", orderable=False)
    gender = tables.Column(verbose_name="性别")
    region = tables.Column(verbose_name="工作县区")
    employer = tables.Column(verbose_name="工作单位")
    occupation = tables.Column(verbose_name="职业")
    domain = tables.Column(verbose_name="重点领域")
    highest_level = tables.Column(verbose_name="最高等级")
    is_high_skilled = tables.BooleanColumn(verbose_name="高技能", yesno="是,否")
    high_skilled_since = tables.DateColumn(verbose_name="成为高技能人才", format="Y-m-d")

    class Meta:
        model = Person
        fields = ()
        sequence = (
            "name",
            "id_masked",
            "gender",
            "region",
            "employer",
            "occupation",
            "domain",
            "highest_level",
            "is_high_skilled",
            "high_skilled_since",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}
        # The page writes the row out (speed: docs/decisions/021); the columns drive headers and export.
        template_name = "talents/person_table.html"

    def value_id_masked(self, record):
        # Unmasked only in an export the user chose to reveal (permission + reason, audited).
        return record.id_number if getattr(self, "reveal", False) else record.id_masked

    def render_occupation(self, value):
        return value.name

    def value_occupation(self, value):
        return value.name if value else ""

    def value_gender(self, record):
        return record.get_gender_display()


class CertificateTable(tables.Table):
    number = tables.Column(verbose_name="证书编号")
    holder_id = tables.Column(verbose_name="持证人身份证号", accessor="person__id_masked", orderable=False)
    person = tables.Column(
        verbose_name="持证人", linkify=("talents:person_detail", {"pk": tables.A("person_id")})
    )
    cert_type = tables.Column(verbose_name="证书类型")
    level = tables.Column(verbose_name="等级", default="—")
    occupation_name = tables.Column(verbose_name="职业（工种）")
    issuer = tables.Column(verbose_name="发证机构")
    issue_date = tables.DateColumn(verbose_name="发证日期", format="Y-m-d")
    status = tables.Column(verbose_name="状态")

    class Meta:
        model = Certificate
        fields = ()
        sequence = (
            "number",
            "person",
            "cert_type",
            "level",
            "occupation_name",
            "issuer",
            "issue_date",
            "status",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}
        order_by = ("-issue_date",)

    def render_status(self, record):
        return object_badge(record)

    def value_holder_id(self, record):
        return record.person.id_number if getattr(self, "reveal", False) else record.person.id_masked

    def value_status(self, record):
        return record.get_status_display()
