from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("filings/new/", views.filing_create_view, name="filing_create"),
    path("filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/edit/", views.filing_update_view, name="filing_update"),
    path("filings/<int:pk>/<str:action>/", views.filing_transition_view, name="filing_transition"),
    path("batches/", views.BatchListView.as_view(), name="batch_list"),
    path("batches/new/", views.batch_create_view, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail_view, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_update_view, name="batch_update"),
    path("batches/<int:pk>/results/", views.batch_results_view, name="batch_results"),
    path("batches/<int:pk>/candidates/add/", views.candidate_add_view, name="candidate_add"),
    path("batches/<int:pk>/<str:action>/", views.batch_transition_view, name="batch_transition"),
    path("candidates/", views.CandidateListView.as_view(), name="candidate_list"),
    path("candidates/<int:pk>/remove/", views.candidate_remove_view, name="candidate_remove"),
    path("appointments/", views.AppointmentListView.as_view(), name="appointment_list"),
    path("appointments/new/", views.appointment_create_view, name="appointment_create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path(
        "appointments/<int:pk>/<str:action>/",
        views.appointment_transition_view,
        name="appointment_transition",
    ),
]
