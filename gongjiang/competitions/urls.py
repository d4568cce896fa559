from django.urls import path

from . import views

app_name = "competitions"

urlpatterns = [
    path("", views.CompetitionListView.as_view(), name="competition_list"),
    path("new/", views.competition_create_view, name="competition_create"),
    path("<int:pk>/", views.competition_detail, name="competition_detail"),
    path("<int:pk>/events/new/", views.event_create_view, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/record/", views.result_record_view, name="result_record"),
    path("events/<int:pk>/publish/", views.event_publish_view, name="event_publish"),
    path("results/", views.ResultListView.as_view(), name="result_list"),
    path("results/<int:pk>/withdraw/", views.result_withdraw_view, name="result_withdraw"),
    path("rules/", views.AwardRuleListView.as_view(), name="awardrule_list"),
    path("rules/new/", views.awardrule_create, name="awardrule_create"),
    path("rules/<int:pk>/edit/", views.awardrule_update, name="awardrule_update"),
]
