from django.urls import path

from accountwise.opportunities import stage_views

app_name = "stages"

urlpatterns = [
    path("", stage_views.stage_list, name="list"),
    path("new/", stage_views.stage_create, name="create"),
    path("<int:pk>/edit/", stage_views.stage_edit, name="edit"),
    path("<int:pk>/move/", stage_views.stage_move, name="move"),
    path("<int:pk>/retire/", stage_views.stage_retire, name="retire"),
    path("<int:pk>/unretire/", stage_views.stage_unretire, name="unretire"),
    path("<int:pk>/delete/", stage_views.stage_delete, name="delete"),
]
