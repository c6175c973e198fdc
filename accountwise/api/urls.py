from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accountwise.api import docs_views, token_views, views
from accountwise.customfields.api import CustomFieldViewSet
from accountwise.portfolio.api import SavedFilterViewSet

app_name = "api"

# DRF marks its views exempt from the site's LoginRequiredMiddleware and returns
# 401 to anonymous API requests itself.
router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("accounts", views.AccountViewSet, basename="account")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")
router.register("stages", views.StageViewSet, basename="stage")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("plan-actions", views.PlanActionViewSet, basename="plan-action")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("saved-filters", SavedFilterViewSet, basename="saved-filter")
router.register("custom-fields", CustomFieldViewSet, basename="custom-field")

urlpatterns = [
    path("v1/", include((router.urls, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The documentation pages are pages of the site, so an anonymous visitor is sent to log in.
    # The split view serves Swagger UI's start-up script as a file, which the Content Security Policy allows.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("docs/redoc/", login_required(docs_views.redoc_page), name="redoc"),
    path("docs/redoc/redoc.standalone.js", docs_views.redoc_bundle, name="redoc-bundle"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
]
