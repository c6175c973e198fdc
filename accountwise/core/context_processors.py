from accountwise.core.models import Organisation


def organisation(request):
    """Put the organisation on every page; loaded once per request, on first use."""
    if not hasattr(request, "_organisation"):
        request._organisation = Organisation.get()
    return {"organisation": request._organisation}
