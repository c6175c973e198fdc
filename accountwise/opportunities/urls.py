from django.urls import path

from accountwise.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
]
