from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("catalogue/", views.CourseCatalogueView.as_view(), name="course_catalogue"),
    path("catalogue/<int:pk>/", views.course_public_view, name="course_public"),
    path("courses/", views.CourseListView.as_view(), name="course_list"),
    path("courses/new/", views.course_create_view, name="course_create"),
    path("courses/<int:pk>/", views.course_update_view, name="course_update"),
    path("courses/<int:pk>/schedules/new/", views.schedule_create_view, name="schedule_create"),
    path("providers/", views.ProviderListView.as_view(), name="provider_list"),
    path("providers/new/", views.provider_create_view, name="provider_create"),
    path("providers/<int:pk>/", views.provider_update_view, name="provider_update"),
    path("providers/<int:pk>/teachers/new/", views.teacher_create_view, name="teacher_create"),
    path("claims/", views.SubsidyClaimListView.as_view(), name="claim_list"),
    path("claims/new/", views.claim_create_view, name="claim_create"),
    path("claims/<int:pk>/", views.claim_detail_view, name="claim_detail"),
    path("claims/<int:pk>/<str:action>/", views.claim_step_view, name="claim_step"),
    path("sharing/", views.SharingRequestListView.as_view(), name="sharing_list"),
    path("sharing/new/", views.sharing_create_view, name="sharing_create"),
    path("sharing/<int:pk>/", views.sharing_detail_view, name="sharing_detail"),
    path("sharing/<int:pk>/<str:action>/", views.sharing_step_view, name="sharing_step"),
    path("enterprise/", views.EnterpriseTrainingListView.as_view(), name="record_list"),
    path("enterprise/new/", views.record_create_view, name="record_create"),
    path("enterprise/<int:pk>/", views.record_update_view, name="record_update"),
    path("enterprise/<int:pk>/chain/", views.chain_add_view, name="chain_add"),
]
