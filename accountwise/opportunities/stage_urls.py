from django.urls import path

from accountwise.opportunities import stage_views

app_name = "stages"

urlpatterns = [
    path("", stage_views.stage_list, name="list"),
]
