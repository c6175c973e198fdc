from django.urls import path

from accountwise.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("new/", views.account_form, name="create"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/edit/", views.account_form, name="edit"),
    path("<int:pk>/archive/", views.account_archive, name="archive"),
    path("<int:pk>/restore/", views.account_restore, name="restore"),
    path("<int:pk>/contacts/", views.account_contacts, name="contacts"),
    path("<int:pk>/plans/", views.account_plans, name="plans"),
    path("<int:pk>/documents/", views.account_documents, name="documents"),
    path("<int:pk>/history/", views.account_history, name="history"),
    path("<int:account_pk>/contacts/new/", views.contact_form, name="contact-create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact-detail"),
    path("contacts/<int:pk>/edit/", views.contact_form, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
]
