import django_tables2 as tables
from django.apps import apps

from .audit_display import describe_changes
from .choices import AUDIT_ACTION_LABELS
from .models import AuditEntry, User


class AuditEntryTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i:s")
    username = tables.Column(verbose_name="用户")
    address = tables.Column(verbose_name="地址")
    action = tables.Column(verbose_name="操作")
    object_type = tables.Column(verbose_name="对象类型")
    object_id = tables.Column(verbose_name="对象编号")
    object_repr = tables.Column(verbose_name="对象")
    changes = tables.Column(verbose_name="内容", orderable=False)
    result = tables.Column(verbose_name="结果")

    class Meta:
        model = AuditEntry
        fields = ()
        sequence = (
            "at",
            "username",
            "address",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "result",
        )
        attrs = {"class": "table table-sm table-hover align-middle small"}

    def render_action(self, value):
        return self.value_action(value)

    def value_action(self, value):
        label = AUDIT_ACTION_LABELS.get(value)
        return f"{label}（{value}）" if label else value

    def render_object_type(self, value):
        return self.value_object_type(value)

    def value_object_type(self, value):
        try:
            return str(apps.get_model(value)._meta.verbose_name)
        except (LookupError, ValueError):
            return value

    def render_changes(self, value, record):
        text = describe_changes(record.object_type, value)
        return text if len(text) <= 160 else text[:160] + "…"

    def value_changes(self, value, record):
        return describe_changes(record.object_type, value)

    def render_result(self, record):
        return record.get_result_display()

    value_result = render_result


class UserTable(tables.Table):
    """Accounts as the security administrator manages them: no names, no personal data."""

    username = tables.LinkColumn("accounts:account_update", args=[tables.A("pk")], verbose_name="用户名")
    role = tables.Column(verbose_name="角色")
    binding = tables.Column(verbose_name="县区/单位", empty_values=(), orderable=False)
    is_active = tables.BooleanColumn(verbose_name="允许登录")
    must_change_password = tables.BooleanColumn(verbose_name="须修改密码")
    last_login = tables.DateTimeColumn(verbose_name="最近登录", format="Y-m-d H:i")

    class Meta:
        model = User
        fields = ()
        sequence = ("username", "role", "binding", "is_active", "must_change_password", "last_login")

    def render_role(self, record):
        return record.get_role_display()

    def render_binding(self, record):
        if record.region_id:
            return record.region.name
        if record.organisation_id:
            return record.organisation.name
        return "—"

    def value_binding(self, record):
        return self.render_binding(record)
