from django.urls import path

from accountwise.plans import views

app_name = "plans"

urlpatterns = [
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:plan_pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/done/", views.action_done, name="action-done"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
]
