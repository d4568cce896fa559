from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", views.organisation_create_view, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_update_view, name="organisation_update"),
]
