"""Fetch an import run and authorise the user in one step."""

from django.shortcuts import get_object_or_404

from accountwise.core.permissions import require_import
from accountwise.transfer.models import ImportRun


def get_run_for_user(user, pk: int) -> ImportRun:
    """Return a run the user may see: their own, or any for an administrator; 404 otherwise."""
    require_import(user)
    return get_object_or_404(ImportRun.objects.visible_to(user).select_related("created_by"), pk=pk)


def get_own_run(user, pk: int) -> ImportRun:
    """Return a run the user started, which only they may continue or start; 404 otherwise."""
    require_import(user)
    return get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk, created_by=user)
