from django.urls import path

from accountwise.documents import views

app_name = "documents"

urlpatterns = [
    path("new/<int:account_pk>/", views.document_create, name="create"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/delete/", views.document_delete, name="delete"),
]
