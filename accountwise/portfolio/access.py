"""Fetch a saved filter and authorise the user in one step.

A saved filter the user may not see (another user's personal one) is a 404;
one they see but may not manage (a shared one, for a non-administrator) is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from accountwise.portfolio.models import SavedFilter


def get_saved_filter_for_user(user, pk: int, *, manage: bool = False) -> SavedFilter:
    saved_filter = get_object_or_404(SavedFilter.objects.visible_to(user), pk=pk)
    if manage and not saved_filter.can_manage(user):
        raise PermissionDenied
    return saved_filter
