from django.urls import path

from accountwise.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("contracts/", views.contract_list, name="contracts"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("account-filter/", views.account_filter_edit, name="account-filter"),
    path("account-filter/apply/", views.account_filter_apply, name="account-filter-apply"),
    path("account-filter/clear/", views.account_filter_clear, name="account-filter-clear"),
    path("account-filter/remove/<slug:name>/", views.account_filter_remove, name="account-filter-remove"),
    path("saved-filters/", views.saved_filter_list, name="saved-filters"),
    path("saved-filters/new/", views.saved_filter_create, name="saved-filter-create"),
    path("saved-filters/<int:pk>/edit/", views.saved_filter_edit, name="saved-filter-edit"),
    path("saved-filters/<int:pk>/delete/", views.saved_filter_delete, name="saved-filter-delete"),
    path("saved-filters/<int:pk>/apply/", views.saved_filter_apply, name="saved-filter-apply"),
]
