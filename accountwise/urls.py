from django.urls import include, path

from accountwise.core import views as core_views

urlpatterns = [
    path("favicon.ico", core_views.favicon),
    path("", include("accountwise.core.urls")),
    path("", include("accountwise.users.urls")),
    path("accounts/", include("accountwise.accounts.urls")),
    path("contracts/", include("accountwise.contracts.urls")),
    path("opportunities/", include("accountwise.opportunities.urls")),
    path("stages/", include("accountwise.opportunities.stage_urls")),
    path("custom-fields/", include("accountwise.customfields.urls")),
    path("plans/", include("accountwise.plans.urls")),
    path("portfolio/", include("accountwise.portfolio.urls")),
    path("reports/", include("accountwise.reports.urls")),
    path("documents/", include("accountwise.documents.urls")),
    path("transfer/", include("accountwise.transfer.urls")),
    path("notifications/", include("accountwise.notifications.urls")),
    path("history/", include("accountwise.history.urls")),
    path("api/", include("accountwise.api.urls")),
]

handler403 = "accountwise.core.views.permission_denied"
handler404 = "accountwise.core.views.page_not_found"
handler500 = "accountwise.core.views.server_error"
