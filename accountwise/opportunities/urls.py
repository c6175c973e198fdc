from django.urls import path

from accountwise.opportunities import views

app_name = "opportunities"

urlpatterns = [
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/delete/", views.opportunity_delete, name="delete"),
    path("<int:pk>/quick-update/", views.opportunity_quick_update, name="quick-update"),
    path("<int:pk>/row/", views.opportunity_row, name="row"),
    path("<int:pk>/create-contract/", views.opportunity_create_contract, name="create-contract"),
    path("<int:pk>/contacts/add/", views.opportunity_contact_add, name="contact-add"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/remove/",
        views.opportunity_contact_remove,
        name="contact-remove",
    ),
    path("section/<int:account_pk>/", views.opportunities_section, name="section"),
    path("section/<int:account_pk>/summary/", views.opportunities_summary, name="summary"),
    path(
        "section/<int:account_pk>/contact-chart/",
        views.opportunities_contact_chart,
        name="contact-chart",
    ),
]
