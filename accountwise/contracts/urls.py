from django.urls import path

from accountwise.contracts import views

app_name = "contracts"

urlpatterns = [
    path("new/", views.contract_create, name="create"),
    path("<int:pk>/", views.contract_detail, name="detail"),
]
