from django import template

from accountwise.notifications.models import Notification, RenewalOpportunity, RenewalOverride

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    """Render the navbar bell with the user's unread count: one COUNT query, or none when the view has it."""
    user = context["request"].user
    count = context.get("notification_unread_count")
    if not user.is_authenticated:
        count = 0
    elif count is None:
        count = Notification.objects.for_recipient(user).in_app().unread().count()
    return {"notification_unread_count": count}


@register.inclusion_tag("notifications/_contract_renewal_card.html")
def contract_renewal_card(contract):
    """Render the contract page's renewal card: its reminder setting and the renewal opportunities created for it."""
    override = RenewalOverride.objects.filter(contract=contract).first()
    renewals = (
        RenewalOpportunity.objects.filter(contract=contract, opportunity__isnull=False)
        .select_related("opportunity__stage")
        .order_by("-end_date")
    )
    return {"contract": contract, "override": override, "renewals": list(renewals)}
