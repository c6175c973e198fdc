from django.urls import path

from accountwise.transfer import import_views, views

app_name = "transfer"

# file_format is "xlsx" or "csv", and the views return 404 for any other value.
urlpatterns = [
    path("export/accounts.<str:file_format>", views.export_accounts, name="export-accounts"),
    path(
        "export/accounts/<int:account_pk>/contracts.<str:file_format>",
        views.export_contracts,
        name="export-contracts",
    ),
    path(
        "export/accounts/<int:account_pk>/opportunities.<str:file_format>",
        views.export_opportunities,
        name="export-opportunities",
    ),
    path(
        "export/accounts/<int:account_pk>/contacts.<str:file_format>",
        views.export_contacts,
        name="export-contacts",
    ),
    path("export/portfolio/<str:entity>.<str:file_format>", views.export_portfolio, name="export-portfolio"),
    path("import/", import_views.import_start, name="import-start"),
    path("import/history/", import_views.import_history, name="import-history"),
    path("import/<int:pk>/", import_views.import_result, name="import-result"),
    path("import/<int:pk>/columns/", import_views.import_columns, name="import-columns"),
    path("import/<int:pk>/stages/", import_views.import_stages, name="import-stages"),
    path("import/<int:pk>/preview/", import_views.import_preview, name="import-preview"),
    path("import/<int:pk>/cancel/", import_views.import_cancel, name="import-cancel"),
    path("import/<int:pk>/run/", import_views.import_run, name="import-run"),
    path("import/<int:pk>/restart/", import_views.import_restart, name="import-restart"),
    path("import/<int:pk>/rejects.csv", import_views.import_rejects, name="import-rejects"),
]
