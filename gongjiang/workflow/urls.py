from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("", views.todo_view, name="todo"),
    path("badge/", views.todo_badge, name="todo_badge"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
