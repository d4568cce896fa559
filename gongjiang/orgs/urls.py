from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation_list"),
    path("new/", views.organisation_create_view, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_update_view, name="organisation_update"),
    path("wages/", views.WageReportListView.as_view(), name="wagereport_list"),
    path("wages/new/", views.wagereport_create_view, name="wagereport_create"),
    path("wages/<int:pk>/", views.wagereport_detail, name="wagereport_detail"),
    path("wages/<int:pk>/edit/", views.wagereport_update_view, name="wagereport_update"),
    path("wages/compliance/", views.wage_compliance_view, name="wage_compliance"),
    path("wages/samples/draw/", views.wage_sample_draw_view, name="wage_sample_draw"),
    path("wages/samples/<int:pk>/", views.wagesample_detail, name="wagesample_detail"),
]
