from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("verify/", views.verify_view, name="verify"),
    path("verify/c/<str:token>", views.verify_link_view, name="verify_link"),
]
