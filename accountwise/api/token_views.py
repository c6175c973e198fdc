"""The profile page where users create and revoke their personal API tokens."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accountwise.api.forms import TokenForm
from accountwise.api.models import ApiToken


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
        messages.success(request, f"Token {token.name} created. Copy it now: it is not shown again.")
        form = TokenForm()

    tokens = ApiToken.objects.active().filter(user=request.user)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "api/token_list.html", context)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, f"Token {token.name} revoked. Scripts that use it can no longer sign in.")
    return redirect("api:tokens")
