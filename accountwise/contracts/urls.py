from django.urls import path

from accountwise.contracts import views

app_name = "contracts"

urlpatterns = [
    path("new/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/edit/", views.contract_edit, name="edit"),
    path("<int:pk>/archive/", views.contract_archive, name="archive"),
    path("<int:pk>/restore/", views.contract_restore, name="restore"),
    path("section/<int:account_pk>/", views.contracts_section, name="section"),
]
