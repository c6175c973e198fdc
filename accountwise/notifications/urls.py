from django.urls import path

from accountwise.notifications import rule_views, views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_mark_read, name="mark-read"),
    path("read-all/", views.notification_mark_all_read, name="mark-all-read"),
    path("settings/", views.notification_settings, name="settings"),
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/new/", rule_views.rule_create, name="rule-create"),
    path("rules/<int:pk>/edit/", rule_views.rule_edit, name="rule-edit"),
    path("rules/<int:pk>/activate/", rule_views.rule_activate, name="rule-activate"),
    path("rules/<int:pk>/deactivate/", rule_views.rule_deactivate, name="rule-deactivate"),
    path("rules/<int:pk>/delete/", rule_views.rule_delete, name="rule-delete"),
]
