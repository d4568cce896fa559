app_name = "plan"
urlpatterns = []
