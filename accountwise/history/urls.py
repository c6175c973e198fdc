from django.urls import path

from accountwise.history import views

app_name = "history"

urlpatterns = [
    path("deleted/", views.deleted_item_list, name="deleted-items"),
    path("<str:kind>/<int:pk>/delete/", views.record_delete, name="delete"),
    path("<str:kind>/<int:pk>/restore/", views.record_restore, name="restore"),
]
