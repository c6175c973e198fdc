from accountwise.core.permissions import organisation_for


def organisation(request):
    """Put the organisation on every page; loaded once per request, shared with the permission policy."""
    return {"organisation": organisation_for(request.user)}
