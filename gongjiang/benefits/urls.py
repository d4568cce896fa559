from django.urls import path

from . import views

app_name = "benefits"

urlpatterns = [
    path("persons/<int:pk>/eligibility/", views.person_eligibility, name="person_eligibility"),
]
