from django.urls import path

from accountwise.contracts import expired_views, views

app_name = "contracts"

urlpatterns = [
    path("new/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/archive/", views.contract_archive, name="archive"),
    path("<int:pk>/archive/confirm/", views.contract_archive_confirm, name="archive-confirm"),
    path("<int:pk>/restore/", views.contract_restore, name="restore"),
    path("section/<int:account_pk>/", views.contracts_section, name="section"),
    path("expired/<int:account_pk>/archive/", expired_views.contracts_archive_expired, name="archive-expired"),
]
