from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "accountwise.notifications"
    label = "notifications"
