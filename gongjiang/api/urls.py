from django.urls import path

from . import views

app_name = "apitokens"

urlpatterns = [
    path("", views.ApiTokenListView.as_view(), name="token_list"),
    path("new/", views.token_create, name="token_create"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
