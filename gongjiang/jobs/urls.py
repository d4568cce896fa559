from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("import/", views.import_start, name="import_start"),
    path("import/template/<str:kind>/", views.import_template, name="import_template"),
    path("maintenance/", views.maintenance, name="maintenance"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("<int:pk>/commit/", views.job_commit, name="job_commit"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]
