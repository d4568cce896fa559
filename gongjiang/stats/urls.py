from django.urls import path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("report/", views.report_print_view, name="report_print"),
    path("report.xlsx", views.report_xlsx_view, name="report_xlsx"),
    path("refresh/", views.refresh_view, name="refresh"),
    path("official-totals/", views.officialtotal_list_view, name="officialtotal_list"),
    path("target-splits/", views.targetsplit_list_view, name="targetsplit_list"),
]
