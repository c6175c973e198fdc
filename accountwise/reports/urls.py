from django.urls import path

from accountwise.reports import definition_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("opportunity-profile/", views.opportunity_profile_report, name="opportunity-profile"),
    path("contracts-and-opportunities/", views.contracts_opportunities_report, name="contracts-opportunities"),
    path("stage-calibration/", views.stage_calibration_report, name="stage-calibration"),
    path("defined/<int:pk>/", views.defined_report, name="defined"),
    path("definitions/", definition_views.definition_list, name="definitions"),
    path("definitions/new/", definition_views.definition_choose_entity, name="definition-choose"),
    path("definitions/new/<str:entity>/", definition_views.definition_create, name="definition-create"),
    path("definitions/<int:pk>/edit/", definition_views.definition_edit, name="definition-edit"),
    path("definitions/<int:pk>/delete/", definition_views.definition_delete, name="definition-delete"),
]
