"""Sign-in, sign-out, password change, and the audit log page."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from gongjiang.common.forms import bootstrapify
from gongjiang.common.listing import ObjectListView

from .filters import AuditEntryFilterSet
from .forms import LoginForm
from .selectors import audit_entry_list
from .services import password_changed
from .tables import AuditEntryTable


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "common/object_form.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": "修改密码"}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        bootstrapify(form)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed(actor=self.request.user)
        messages.success(self.request, "密码已修改")
        return response


class AuditEntryListView(ObjectListView):
    title = "审计日志"
    table_class = AuditEntryTable
    filterset_class = AuditEntryFilterSet
    view_permission = "accounts.view_auditentry"
    export_permission = "accounts.view_auditentry"
    export_name = "审计日志"
    selector = staticmethod(audit_entry_list)
