from django.urls import path

from . import views

app_name = "carriers"

urlpatterns = [
    path("", views.CarrierListView.as_view(), name="carrier_list"),
    path("new/", views.carrier_create_view, name="carrier_create"),
    path("todo/", views.carrier_todo_view, name="carrier_todo"),
    path("rules/", views.carrierrule_list, name="carrierrule_list"),
    path("catalogue/", views.CarrierCatalogueView.as_view(), name="carrier_catalogue"),
    path("<int:pk>/", views.carrier_detail_view, name="carrier_detail"),
    path("<int:pk>/edit/", views.carrier_update_view, name="carrier_update"),
    *[
        path(f"<int:pk>/{step}/", views.carrier_step_view, {"step": step}, name=f"carrier_{step}")
        for step in views.STEPS
    ],
]
