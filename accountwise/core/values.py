"""Show stored field values as people read them: choices by label, money formatted, dates spelled out."""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import formats

from accountwise.core.models import Organisation
from accountwise.lib.money import MONEY_DECIMAL_PLACES, format_money

EMPTY = "—"


def organisation_currency() -> str:
    return Organisation.get().currency


def display_form_value(field: forms.Field, value, currency: str | None = None) -> str:
    """Format a value of a form field, or the stored value for that field, for a side-by-side view."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(sorted(str(item) for item in _objects(field, value))) or EMPTY
    if isinstance(field, forms.ModelChoiceField):
        objects = _objects(field, [value])
        return str(objects[0]) if objects else EMPTY
    if isinstance(field, forms.ChoiceField):
        return str(dict(_flat_choices(field.choices)).get(value, value))
    if isinstance(field, forms.DecimalField) and field.decimal_places == MONEY_DECIMAL_PLACES:
        return format_money(Decimal(value), currency or organisation_currency())
    return display_plain(value)


def display_model_value(field: models.Field, value, names: dict, currency: str) -> str:
    """Format a value of a model field as stored in a history row.

    Foreign keys hold a primary key; `names` maps (model, pk) to the related
    object's name, loaded beforehand for a whole page of entries.
    """
    if value is None or value == "":
        return EMPTY
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value} (deleted)")
    if field.choices:
        return str(dict(_flat_choices(field.choices)).get(value, value))
    if isinstance(field, models.DecimalField) and field.decimal_places == MONEY_DECIMAL_PLACES:
        return format_money(Decimal(value), currency)
    return display_plain(value)


def display_plain(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "M j, Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "M j, Y")
    if isinstance(value, (list, tuple)):
        return ", ".join(display_plain(item) for item in value) or EMPTY
    return str(value)


def _objects(field: forms.ModelChoiceField, values) -> list:
    """Return the chosen objects, fetching those given as primary keys in one query."""
    objects = [value for value in values if hasattr(value, "pk")]
    pks = [value for value in values if not hasattr(value, "pk")]
    if pks:
        objects += list(field.queryset.model._base_manager.filter(pk__in=pks))
    return objects


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label
