from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("", views.todo_view, name="todo"),
    path("badge/", views.todo_badge, name="todo_badge"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/badge/", views.notifications_badge, name="notifications_badge"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
