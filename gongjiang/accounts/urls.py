from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/", views.otp_verify_view, name="otp_verify"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("audit/", views.AuditEntryListView.as_view(), name="audit_list"),
    path("users/", views.AccountListView.as_view(), name="account_list"),
    path("users/new/", views.account_create_view, name="account_create"),
    path("users/<int:pk>/edit/", views.account_update_view, name="account_update"),
]
