from django.urls import path

from . import views

app_name = "honours"

urlpatterns = [
    path("", views.round_list_view, name="round_list"),
    path("rounds/new/", views.round_create_view, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/nominate/", views.nomination_create_view, name="nomination_create"),
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "nominations/<int:pk>/<str:action>/", views.nomination_transition_view, name="nomination_transition"
    ),
    path("awards/", views.HonourAwardListView.as_view(), name="award_list"),
]
