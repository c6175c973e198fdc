"""Export columns for the custom fields that show as list columns."""

import datetime
from decimal import Decimal, InvalidOperation

from accountwise.customfields.filters import custom_field_columns
from accountwise.customfields.models import CustomField, FieldType
from accountwise.customfields.values import MULTIPLE_CHOICE_SEPARATOR, user_rows
from accountwise.transfer.export.columns import Column, ColumnType, custom_field_column

# Percentages export as numbers from 0 to 100, as they are typed and imported,
# so a file exported from Accountwise imports back with the same values.
_COLUMN_TYPES = {
    FieldType.MONEY: ColumnType.MONEY,
    FieldType.NUMBER: ColumnType.NUMBER,
    FieldType.PERCENTAGE: ColumnType.NUMBER,
    FieldType.DATE: ColumnType.DATE,
}


def export_columns(entity: str, source: str = "custom_fields") -> tuple[Column, ...]:
    """Return typed export columns, headed by their labels, for the entity's list-column custom fields."""
    return tuple(_column(field, source) for field in custom_field_columns(entity))


def _column(field: CustomField, source: str) -> Column:
    column_type = _COLUMN_TYPES.get(field.field_type, ColumnType.TEXT)
    return custom_field_column(
        field.label, field.key, column_type, source=source, convert=_converter(field, column_type), width=18
    )


def _converter(field: CustomField, column_type: ColumnType):
    field_type = field.field_type
    if column_type in (ColumnType.MONEY, ColumnType.NUMBER):
        # NOTE: XLSX cells hold doubles, so a number with more than 15 significant digits
        # loses its last digits there; the CSV file keeps every digit.
        return _typed(Decimal, column_type)
    if column_type == ColumnType.DATE:
        return _typed(datetime.date.fromisoformat, column_type)
    if field_type == FieldType.BOOLEAN:
        return _yes_no
    if field_type == FieldType.MULTIPLE_CHOICE:
        separator = f"{MULTIPLE_CHOICE_SEPARATOR} "
        return lambda value: separator.join(map(str, value)) if isinstance(value, list) else str(value)
    if field_type == FieldType.USER:
        names = {}

        def user_name(value):
            if not names:
                names.update((pk, name) for pk, name, _ in user_rows())
            return names.get(value, str(value))

        return user_name
    return str


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _typed(parse, column_type: ColumnType):
    def convert(value):
        try:
            return parse(str(value))
        except (InvalidOperation, ValueError):
            # A value stored before the field's type changed is exported as text, which
            # a typed cell cannot hold, so it is left out rather than failing the export.
            return None

    return convert
