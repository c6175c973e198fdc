"""Template tags of the report pages."""

from django import template
from django.utils.formats import number_format

from accountwise.lib.money import format_money
from accountwise.transfer.export.columns import ColumnType

register = template.Library()


@register.simple_tag(takes_context=True)
def report_cell(context, value, column_type):
    """Format one figure of a report table by its column type; "—" for a missing figure."""
    if value is None or value == "":
        return "—" if column_type != ColumnType.TEXT else ""
    if column_type == ColumnType.MONEY:
        organisation = context.get("organisation")
        return format_money(value, organisation.currency if organisation else "USD")
    if column_type == ColumnType.PERCENT:
        return f"{number_format(value)} %"
    if column_type == ColumnType.INTEGER:
        return number_format(value, force_grouping=True)
    if column_type == ColumnType.DATE:
        return value.strftime("%d %b %Y")
    return value


@register.filter
def is_numeric_column(column) -> bool:
    return column.type in (ColumnType.MONEY, ColumnType.PERCENT, ColumnType.INTEGER)
