from django.urls import path

from . import views

app_name = "schools"

urlpatterns = [
    path("", views.SchoolListView.as_view(), name="school_list"),
    path("<int:pk>/", views.school_detail, name="school_detail"),
    path("teachers/", views.TeacherListView.as_view(), name="teacher_list"),
    path("teachers/new/", views.teacher_create_view, name="teacher_create"),
    path("teachers/<int:pk>/", views.teacher_detail, name="teacher_detail"),
    path("teachers/<int:pk>/edit/", views.teacher_update_view, name="teacher_update"),
    path("teachers/<int:pk>/practices/new/", views.practice_create_view, name="practice_create"),
    path("demonstrations/", views.DemonstrationListView.as_view(), name="demonstration_list"),
    path("demonstrations/new/", views.demonstration_create_view, name="demonstration_create"),
    path("demonstrations/<int:pk>/", views.demonstration_detail, name="demonstration_detail"),
    path("demonstrations/<int:pk>/edit/", views.demonstration_update_view, name="demonstration_update"),
    path("demonstrations/<int:pk>/milestones/new/", views.milestone_create_view, name="milestone_create"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    path("milestones/<int:pk>/edit/", views.milestone_update_view, name="milestone_update"),
    path("practices/", views.PracticeListView.as_view(), name="practice_list"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/edit/", views.practice_update_view, name="practice_update"),
    path("years/", views.SchoolYearListView.as_view(), name="schoolyear_list"),
    path("years/new/", views.schoolyear_create_view, name="schoolyear_create"),
    path("years/<int:pk>/", views.schoolyear_detail, name="schoolyear_detail"),
    path("years/<int:pk>/edit/", views.schoolyear_update_view, name="schoolyear_update"),
]
