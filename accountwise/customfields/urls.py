from django.urls import path

from accountwise.customfields import views

app_name = "customfields"

urlpatterns = [
    path("", views.field_list, name="list"),
    path("new/", views.field_create, name="create"),
    path("<int:pk>/edit/", views.field_edit, name="edit"),
    path("<int:pk>/move/", views.field_move, name="move"),
    path("<int:pk>/retire/", views.field_retire, name="retire"),
    path("<int:pk>/restore/", views.field_restore, name="restore"),
]
