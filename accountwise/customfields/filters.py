"""Custom-field filters for the filter definitions of accounts, contacts, contracts and opportunities.

Entities are named "account", "contact", "contract" and "opportunity".
Filter names are "cf_<key>" so they never clash with built-in filters.
Every filter is a JSON key lookup in SQL that runs on SQLite and PostgreSQL.
"""

import json

import django_filters
from django.db.models import DecimalField, Lookup, Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast

from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.models import CustomField, FieldType
from accountwise.customfields.values import NO, YES, user_choices

# Wide enough for every stored number, money amount and percentage.
_NUMBER_CAST = DecimalField(max_digits=30, decimal_places=10)


class JSONArrayContains(Lookup):
    """Whether a JSON array, such as a multiple-choice value, contains one string.

    Django's `contains` lookup on JSON is not supported on SQLite, so each
    database gets its own SQL: jsonb containment on PostgreSQL and json_each()
    on SQLite.
    """

    lookup_name = "array_contains"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", (*lhs_params, json.dumps([self.rhs]))

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)"
        return sql, (*lhs_params, self.rhs)

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"Multiple-choice filters do not support {connection.vendor}.")


def _column(prefix: str) -> str:
    return f"{prefix}custom_fields"


def _alias(field: CustomField, prefix: str, kind: str) -> str:
    # The prefix keeps an account field and a contract field with the same key apart.
    return f"_cf_{prefix.replace('__', '_')}{field.key}_{kind}"


def _label_bounds(widget, label: str) -> None:
    """Name the two inputs of a range widget "<label> from" and "<label> to", and show From and To in them."""
    for input_widget, bound in zip(widget.widgets, ("from", "to")):
        input_widget.attrs["placeholder"] = bound.capitalize()
        input_widget.attrs["aria-label"] = f"{label} {bound}"


def _text_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_text(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{_column(prefix)}__{field.key}__icontains": value.strip()})

    return django_filters.CharFilter(label=field.label, method=filter_text)


def _number_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_range(queryset: QuerySet, name: str, value: slice) -> QuerySet:
        if value is None or (value.start is None and value.stop is None):
            return queryset
        number = Cast(KeyTextTransform(field.key, _column(prefix)), _NUMBER_CAST)
        alias = _alias(field, prefix, "number")
        queryset = queryset.alias(**{alias: number})
        if value.start is not None:
            queryset = queryset.filter(**{f"{alias}__gte": value.start})
        if value.stop is not None:
            queryset = queryset.filter(**{f"{alias}__lte": value.stop})
        return queryset

    widget = django_filters.widgets.RangeWidget(attrs={"inputmode": "decimal"})
    _label_bounds(widget, field.label)
    return django_filters.RangeFilter(label=field.label, method=filter_range, widget=widget)


def _date_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_dates(queryset: QuerySet, name: str, value: slice) -> QuerySet:
        if value is None:
            return queryset
        # ISO dates compare in date order as text. The cast makes the lookups plain
        # text comparisons, where a JSON key lookup would parse the bound value as JSON.
        text = Cast(KeyTextTransform(field.key, _column(prefix)), TextField())
        alias = _alias(field, prefix, "date")
        queryset = queryset.alias(**{alias: text})
        # The filter's range runs from the first to the last moment of the days chosen.
        if value.start is not None:
            queryset = queryset.filter(**{f"{alias}__gte": value.start.date().isoformat()})
        if value.stop is not None:
            queryset = queryset.filter(**{f"{alias}__lte": value.stop.date().isoformat()})
        return queryset

    widget = django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    _label_bounds(widget, field.label)
    return django_filters.DateFromToRangeFilter(label=field.label, method=filter_dates, widget=widget)


def _boolean_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_boolean(queryset: QuerySet, name: str, value: str) -> QuerySet:
        lookup = f"{_column(prefix)}__{field.key}"
        if value == YES:
            return queryset.filter(**{lookup: True})
        # "No" includes records without a value.
        return queryset.filter(Q(**{lookup: False}) | ~Q(**{f"{_column(prefix)}__has_key": field.key}))

    return django_filters.ChoiceFilter(
        label=field.label, method=filter_boolean, choices=[(YES, "Yes"), (NO, "No")], empty_label="Any"
    )


def _choice_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_choice(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{_column(prefix)}__{field.key}": value})

    return django_filters.ChoiceFilter(
        label=field.label, method=filter_choice,
        choices=[(choice, choice) for choice in field.choices], empty_label="Any",
    )


def _multiple_choice_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_contains(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(JSONArrayContains(KeyTransform(field.key, _column(prefix)), value))

    return django_filters.ChoiceFilter(
        label=field.label, method=filter_contains,
        choices=[(choice, choice) for choice in field.choices], empty_label="Any",
    )


def _user_filter(field: CustomField, prefix: str) -> django_filters.Filter:
    def filter_user(queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{f"{_column(prefix)}__{field.key}": int(value)})

    # A callable is evaluated when the form is built, so the user list is current.
    return django_filters.ChoiceFilter(
        label=field.label, method=filter_user, empty_label="Anyone",
        choices=lambda: [(str(pk), name) for pk, name in user_choices()],
    )


_BUILDERS = {
    FieldType.TEXT: _text_filter,
    FieldType.LONG_TEXT: _text_filter,
    FieldType.URL: _text_filter,
    FieldType.NUMBER: _number_filter,
    FieldType.MONEY: _number_filter,
    FieldType.PERCENTAGE: _number_filter,
    FieldType.DATE: _date_filter,
    FieldType.BOOLEAN: _boolean_filter,
    FieldType.CHOICE: _choice_filter,
    FieldType.MULTIPLE_CHOICE: _multiple_choice_filter,
    FieldType.USER: _user_filter,
}


def is_filter_value(value) -> bool:
    """Return whether a cleaned custom-field filter value narrows the list; an empty range does not."""
    if isinstance(value, slice):
        return value.start is not None or value.stop is not None
    return value not in (None, "", [])


def build_filter(field: CustomField, prefix: str = "") -> django_filters.Filter:
    """Build the django-filter filter for one definition."""
    return _BUILDERS[field.field_type](field, prefix)


def custom_field_filters(entity: str, prefix: str = "") -> dict:
    """Return django-filter filters, by name, for the entity's filterable custom fields.

    A filterset adds them in its __init__ (self.filters.update(...)). With a
    prefix such as "account__", the filters apply to the related account's
    custom fields, for portfolio views narrowed by account. The definitions
    cost one query per request (see accountwise.customfields.definitions).

    Parameters: text fields take "cf_<key>" (contains, ignoring case); numbers,
    money and percentages "cf_<key>_min" and "cf_<key>_max"; dates
    "cf_<key>_after" and "cf_<key>_before" (ISO dates); yes/no "yes" or "no";
    choices one option (a multiple-choice record matches when it has it);
    users a user's primary key.
    """
    filters = {}
    for field in active_definitions(entity):
        if not field.filterable:
            continue
        built = build_filter(field, prefix)
        built.custom_field = field
        filters[field.filter_name] = built
    return filters


def custom_field_columns(entity: str) -> list:
    """Return the entity's active custom fields that show as list columns, in their order.

    Format a cell with accountwise.customfields.display.display_value(column, record)
    or the {% custom_field_value record column %} tag. User names are loaded once
    per request, so user-type columns cost one query whatever the number of rows.
    """
    return [field for field in active_definitions(entity) if field.show_in_list]
