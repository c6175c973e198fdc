"""The notification centre: each user's list of renewal reminders and their choice of channels."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accountwise.notifications.actions import mark_all_read, mark_read, preference_for
from accountwise.notifications.forms import NotificationPreferenceForm
from accountwise.notifications.models import Notification

PAGE_SIZE = 20
LIST_TEMPLATE = "notifications/notification_list.html"
LIST_PARTIAL = "notifications/_notification_list.html"
# Query parameter of the list's filter: every notification, or the unread ones only.
SHOW_PARAM = "show"
SHOW_CHOICES = {"all": "All", "unread": "Unread"}


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    template = LIST_PARTIAL if request.htmx else LIST_TEMPLATE
    response = render(request, template, _list_context(request))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)

    mark_read(request.user, notification.pk)
    # The URL was stored by this application; the check keeps a bad row from redirecting off-site.
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.url)


@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not mark_read(request.user, pk):
        raise Http404("No such notification.")

    return _after_change(request, None)


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(request.user)

    notice = f"Marked {count} notification{'s' if count != 1 else ''} as read." if count else "Nothing was unread."
    return _after_change(request, notice)


@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferenceForm(request.POST or None, instance=preference_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Notification settings saved.")
        return redirect("notifications:settings")

    return render(request, "notifications/notification_settings.html", {"form": form})


def _after_change(request: HttpRequest, notice: str | None) -> HttpResponse:
    """Respond to marking as read: the refreshed list and bell for htmx, else a redirect back to the list."""
    if request.htmx:
        context = _list_context(request)
        context["notice"] = notice
        response = render(request, LIST_PARTIAL, context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    if notice:
        messages.success(request, notice)
    show = request.GET.get(SHOW_PARAM, "")
    query = f"?{SHOW_PARAM}={show}" if show in SHOW_CHOICES else ""
    return redirect(reverse("notifications:list") + query)


def _list_context(request: HttpRequest) -> dict:
    show = request.GET.get(SHOW_PARAM, "all")
    if show not in SHOW_CHOICES:
        show = "all"

    notifications = Notification.objects.for_recipient(request.user).in_app()
    if show == "unread":
        notifications = notifications.unread()
    page = Paginator(
        notifications.select_related("contract__account", "rule"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return {
        "page": page,
        "show": show,
        "show_choices": SHOW_CHOICES,
        "notification_unread_count": Notification.objects.for_recipient(request.user).in_app().unread().count(),
    }
