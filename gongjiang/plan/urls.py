from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("", views.matrix_view, name="matrix"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/new/", views.task_create_view, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail_view, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_update_view, name="task_update"),
    path("reports/<int:pk>/", views.report_detail_view, name="report_detail"),
    path("reports/<int:pk>/<str:action>/", views.report_step_view, name="report_step"),
    path("supervision/", views.SupervisionListView.as_view(), name="supervision_list"),
    path("supervision/<int:pk>/", views.supervision_detail_view, name="supervision_detail"),
    path("supervision/<int:pk>/<str:action>/", views.supervision_step_view, name="supervision_step"),
    path("funding/", views.funding_view, name="funding"),
    path("funding/budget/", views.budget_create_view, name="budget_create"),
    path("funding/spending/", views.SpendingListView.as_view(), name="spending_list"),
    path("funding/spending/new/", views.spending_create_view, name="spending_create"),
    path("funding/spending/<int:pk>/reverse/", views.spending_reverse_view, name="spending_reverse"),
    path("funding/sync/", views.funding_sync_view, name="funding_sync"),
]
