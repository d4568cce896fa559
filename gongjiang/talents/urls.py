from django.urls import path

from . import views

app_name = "talents"

urlpatterns = [
    path("persons/", views.PersonListView.as_view(), name="person_list"),
    path("persons/new/", views.person_create_view, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_update_view, name="person_update"),
    path("persons/<int:pk>/reveal/", views.person_reveal_view, name="person_reveal"),
    path("persons/<int:pk>/certificates/add/", views.certificate_add_view, name="certificate_add"),
    path("staff/<int:org_pk>/", views.organisation_staff, name="organisation_staff"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke_view, name="certificate_revoke"),
]
