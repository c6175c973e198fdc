from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accountwise.core.permissions import require_administrator
from accountwise.users.forms import StyledSetPasswordForm, UserCreateForm, UserEditForm
from accountwise.users.models import User


@require_http_methods(["GET", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    # Logging out changes state, so it needs a POST. A typed-in /logout/ shows a button that sends one.
    if request.method == "POST":
        return LogoutView.as_view()(request)
    return render(request, "users/logout_confirm.html")


def lockout(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """Render the page django-axes shows instead of the login form while a username and address are locked out."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "username": (credentials or {}).get("username", ""),
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "users/lockout.html", context, status=429)


def password_changed(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Your password was changed.")
    return redirect("core:home")


def user_list(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    users = User.objects.annotate(account_count=Count("owned_accounts")).order_by(
        "-is_active", "first_name", "last_name", "username"
    )
    return render(request, "users/user_list.html", {"users": users})


@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    require_administrator(request.user)

    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, f"User {user.username} created. They can sign in now.")
        return redirect("users:list")

    return render(request, "users/user_form.html", {"form": form, "editing": None})


@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    user = get_object_or_404(User, pk=pk)

    form = UserEditForm(request.POST or None, instance=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"User {user.username} saved.")
        return redirect("users:list")

    return render(request, "users/user_form.html", {"form": form, "editing": user})


@require_http_methods(["GET", "POST"])
def user_set_password(request: HttpRequest, pk: int) -> HttpResponse:
    require_administrator(request.user)
    user = get_object_or_404(User, pk=pk)

    form = StyledSetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"New password set for {user.username}.")
        return redirect("users:list")

    return render(request, "users/set_password.html", {"form": form, "editing": user})
