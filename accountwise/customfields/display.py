"""Show custom-field values on detail pages and in list cells."""

from django.utils.html import format_html

from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.models import CustomField, FieldType
from accountwise.customfields.values import to_python, user_rows
from accountwise.lib.money import format_money

EMPTY = "—"


def user_names(field: CustomField) -> dict:
    """Return {pk: name} of all users, kept on the definition; user_rows() reads them once per request."""
    names = getattr(field, "_user_names", None)
    if names is None:
        names = field._user_names = {pk: name for pk, name, _ in user_rows()}
    return names


def display_value(field: CustomField, custom_fields: dict, currency: str = "USD"):
    """Return the formatted value of a field in a record's custom_fields, as safe HTML or text."""
    value = to_python(field, (custom_fields or {}).get(field.key))
    if value is None:
        return EMPTY
    field_type = field.field_type

    if field_type == FieldType.MONEY and not isinstance(value, str):
        return format_money(value, currency)
    if field_type == FieldType.PERCENTAGE and not isinstance(value, str):
        return f"{value} %"
    if field_type == FieldType.DATE and not isinstance(value, str):
        return value.strftime("%b %-d, %Y")
    if field_type == FieldType.BOOLEAN and isinstance(value, bool):
        return "Yes" if value else "No"
    if field_type == FieldType.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field_type == FieldType.USER:
        return user_names(field).get(value, f"Unknown user {value}")
    if field_type == FieldType.URL and isinstance(value, str) and value.startswith(("https://", "http://")):
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', value, value)
    return str(value)


def detail_rows(entity: str, custom_fields: dict, currency: str = "USD") -> list[tuple[CustomField, object]]:
    """Return (field, formatted value) for the entity's active fields, for a detail page."""
    fields = active_definitions(entity)
    return [(field, display_value(field, custom_fields, currency)) for field in fields]
