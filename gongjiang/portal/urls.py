from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("me/", views.home_view, name="home"),
    path("register/", views.register_view, name="register"),
    path("talent-accounts/", views.talent_accounts_view, name="talent_accounts"),
    path("me/passport/", views.passport_view, name="passport"),
    path("me/share/", views.share_create_view, name="share_create"),
    path("me/share/<int:pk>/revoke/", views.share_revoke_view, name="share_revoke"),
    path("p/<str:token>", views.shared_passport_view, name="shared_passport"),
    path("corrections/", views.correction_list_view, name="correction_list"),
    path("corrections/new/", views.correction_create_view, name="correction_create"),
    path("corrections/<int:pk>/", views.correction_detail_view, name="correction_detail"),
    path(
        "corrections/<int:pk>/<str:step>/",
        views.correction_step_view,
        name="correction_step",
    ),
    path("verify/", views.verify_view, name="verify"),
    path("verify/c/<str:token>", views.verify_link_view, name="verify_link"),
]
