from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("", views.EntitlementListView.as_view(), name="entitlement_list"),
    path("entitlements/<int:pk>/", views.entitlement_detail_view, name="entitlement_detail"),
    path("entitlements/<int:pk>/confirm/", views.entitlement_confirm_view, name="entitlement_confirm"),
    path("entitlements/<int:pk>/<str:action>/", views.entitlement_step_view, name="entitlement_step"),
    path("policies/", views.policy_list_view, name="policy_list"),
    path("policies/what-if/", views.policy_what_if_view, name="policy_what_if"),
    path("checks/", views.integrity_view, name="integrity"),
    path("shortage/", views.shortage_catalogue_view, name="shortage_catalogue"),
    path("policies/<int:pk>/budget/", views.policy_budget_view, name="policy_budget"),
    path("apply/<str:code>/<int:person_pk>/", views.application_create_view, name="application_create"),
    path("apply/<str:code>/staff/", views.application_staff_view, name="application_staff"),
    path("applications/<int:pk>/", views.application_detail_view, name="application_detail"),
    path("applications/<int:pk>/<str:action>/", views.application_step_view, name="application_step"),
    path("persons/<int:pk>/eligibility/", views.person_eligibility, name="person_eligibility"),
    path("payments/", views.payment_batch_list_view, name="payment_batch_list"),
    path("payments/<int:pk>/", views.payment_batch_detail_view, name="payment_batch_detail"),
    path("payments/<int:pk>/bank-file/", views.payment_bank_file_view, name="payment_bank_file"),
]
