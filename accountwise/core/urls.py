from django.urls import path

from accountwise.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation_settings, name="organisation"),
]
