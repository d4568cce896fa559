import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .models import ApiToken


class ApiTokenTable(tables.Table):
    name = tables.Column(verbose_name="用途")
    prefix = tables.Column(verbose_name="令牌开头", orderable=False)
    user = tables.Column(verbose_name="所属账号", accessor="user__username")
    organisation = tables.Column(verbose_name="单位/县区", empty_values=(), orderable=False)
    created_at = tables.DateTimeColumn(verbose_name="签发时间", format="Y-m-d H:i")
    expires_at = tables.DateTimeColumn(verbose_name="有效期至", format="Y-m-d H:i", default="长期")
    last_used_at = tables.DateTimeColumn(verbose_name="最近使用", format="Y-m-d H:i", default="未使用")
    state = tables.Column(verbose_name="状态", empty_values=(), orderable=False)
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = ApiToken
        fields = ()
        sequence = (
            "name",
            "prefix",
            "user",
            "organisation",
            "created_at",
            "expires_at",
            "last_used_at",
            "state",
        )
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_prefix(self, value):
        return "%s…" % value

    def render_organisation(self, record):
        user = record.user
        if user.organisation_id:
            return user.organisation.name
        return user.region.name if user.region_id else "—"

    def value_organisation(self, record):
        return self.render_organisation(record)

    def render_state(self, record):
        return self.value_state(record)

    def value_state(self, record):
        if record.revoked_at:
            return "已撤销"
        if record.expires_at and record.expires_at <= timezone.now():
            return "已过期"
        if not record.user.is_active:
            return "账号已停用"
        return "有效"

    def render_actions(self, record):
        if record.revoked_at:
            return ""
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">撤销</a>',
            reverse("apitokens:token_revoke", args=[record.pk]),
        )
