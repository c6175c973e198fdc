"""Custom-field filters for the filter definitions of accounts, contacts, contracts and opportunities.

Entities are named "account", "contact", "contract" and "opportunity".
Filter names are "cf_<key>" so they never clash with built-in filters.
"""


def custom_field_filters(entity: str, prefix: str = "") -> dict:
    """Return django-filter filters, by name, for the entity's filterable custom fields.

    A filterset adds them in its __init__ (self.filters.update(...)). With a
    prefix such as "account__", the filters apply to the related account's
    custom fields, for portfolio views narrowed by account.
    """
    return {}


def custom_field_columns(entity: str) -> list:
    """Return the entity's active custom fields that show as list columns, in their order."""
    return []
