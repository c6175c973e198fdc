from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from accountwise.core.forms import OrganisationForm
from accountwise.core.models import Organisation
from accountwise.core.permissions import require_administrator
from accountwise.reports import views as reports_views


def home(request: HttpRequest) -> HttpResponse:
    """Serve the dashboard, the page users land on after logging in."""
    return reports_views.dashboard(request)


@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    organisation = Organisation.get()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Organisation settings saved.")
        return redirect("core:organisation")

    return render(request, "core/organisation.html", {"form": form})


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico whatever the page links to.
    return redirect(static("core/favicon.svg"))


@login_not_required
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors may be what failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
