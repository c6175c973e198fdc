from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "accountwise.documents"
    label = "documents"

    def ready(self):
        from accountwise.documents import signals  # noqa: F401 (connects the receivers)
