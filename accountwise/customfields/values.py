"""Custom-field values: the form field for each definition, and parsing and storing values.

Stored shape in a record's `custom_fields` JSON column, by field type:

- text, long text, URL, single choice: a string;
- number and percentage: a Decimal string without exponent ("12.5");
  money: a Decimal string with two places ("1500.00"). Strings keep every digit,
  and filters cast them to decimals in SQL, so ranges compare numerically;
- date: an ISO date string ("2027-01-31"), which also sorts and compares as text;
- yes/no: a JSON boolean;
- multiple choice: a list of strings, in the order of the field's choices;
- user: the user's primary key, as a JSON number.

An empty value is never stored: the key is removed instead.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from accountwise.core.forms import DateInput, MoneyField
from accountwise.customfields.definitions import request_cached
from accountwise.customfields.models import CustomField, FieldType
from accountwise.lib.money import quantize_money
from accountwise.users.models import User

TEXT_MAX_LENGTH = 255
LONG_TEXT_MAX_LENGTH = 5000
URL_MAX_LENGTH = 500
NUMBER_MAX_DIGITS = 20
NUMBER_DECIMAL_PLACES = 6

YES, NO = "yes", "no"
_TRUE_WORDS = {"yes", "y", "true", "1", "x", "on"}
_FALSE_WORDS = {"no", "n", "false", "0", "off"}
# Separator of multiple-choice values in spreadsheets; choices may not contain it.
MULTIPLE_CHOICE_SEPARATOR = ";"


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as Bootstrap inline form-checks, each with its own label."""

    template_name = "customfields/widgets/checkbox_list.html"
    option_template_name = "django/forms/widgets/input.html"


def _required_message(field: CustomField) -> str:
    if field.field_type in (FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.USER, FieldType.BOOLEAN):
        return f"Choose a value for {field.label}; it is required."
    return f"Enter a value for {field.label}; it is required."


def _choices_text(field: CustomField) -> str:
    return ", ".join(field.choices)


def _decimal_messages(field: CustomField, example: str, what: str) -> dict:
    return {
        "invalid": f"Enter {field.label} as {what}, such as {example}.",
        "max_digits": f"Enter {field.label} with at most {NUMBER_MAX_DIGITS} digits.",
        "max_whole_digits": f"Enter a smaller number for {field.label}.",
        "max_decimal_places": f"Enter {field.label} with at most {NUMBER_DECIMAL_PLACES} digits after the decimal point.",
    }


def user_rows() -> list[tuple[int, str, bool]]:
    """Return (pk, name, is active) of every user, loaded once per request."""
    rows = request_cached("users", _load_user_rows)
    return _load_user_rows() if rows is None else rows


def _load_user_rows() -> list[tuple[int, str, bool]]:
    return [(user.pk, str(user), user.is_active) for user in User.objects.all()]


def user_choices(keep_pk: int | None = None) -> list[tuple]:
    """Return (pk, name) of active users, plus a user already chosen, so an old choice stays valid."""
    return [(pk, name) for pk, name, is_active in user_rows() if is_active or pk == keep_pk]


def form_field(field: CustomField, *, required: bool | None = None, keep_user_pk: int | None = None) -> forms.Field:
    """Build the Django form field that edits a definition's value.

    `required` overrides the definition's flag; imports and the API check a
    missing required value themselves. `keep_user_pk` keeps an inactive user
    that a record already names valid on edit.
    """
    required = field.required if required is None else required
    common = {"label": field.label, "required": required, "help_text": field.help_text}
    messages = {"required": _required_message(field)}
    field_type = field.field_type

    if field_type == FieldType.TEXT:
        messages["max_length"] = f"Shorten {field.label} to at most {TEXT_MAX_LENGTH} characters."
        return forms.CharField(max_length=TEXT_MAX_LENGTH, error_messages=messages, **common)
    if field_type == FieldType.LONG_TEXT:
        messages["max_length"] = f"Shorten {field.label} to at most {LONG_TEXT_MAX_LENGTH} characters."
        return forms.CharField(
            max_length=LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
            error_messages=messages, **common,
        )
    if field_type == FieldType.NUMBER:
        messages.update(_decimal_messages(field, "12.5", "a number"))
        return forms.DecimalField(
            max_digits=NUMBER_MAX_DIGITS, decimal_places=NUMBER_DECIMAL_PLACES,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages=messages, **common,
        )
    if field_type == FieldType.MONEY:
        messages.update({
            "invalid": f"Enter {field.label} as an amount in digits, such as 1500.00.",
            "min_value": f"Enter an amount of 0 or more for {field.label}.",
            "max_decimal_places": f"Enter {field.label} with at most 2 digits after the decimal point.",
        })
        return MoneyField(error_messages=messages, **common)
    if field_type == FieldType.PERCENTAGE:
        message = f"Enter {field.label} as a percentage from 0 to 100, such as 12.5."
        messages.update({
            "invalid": message, "min_value": message, "max_value": message,
            "max_digits": message, "max_whole_digits": message,
            "max_decimal_places": f"Enter {field.label} with at most 2 digits after the decimal point.",
        })
        return forms.DecimalField(
            min_value=0, max_value=100, max_digits=5, decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            error_messages=messages, **common,
        )
    if field_type == FieldType.DATE:
        messages["invalid"] = f"Enter {field.label} as a date, such as 2027-01-31."
        return forms.DateField(widget=DateInput(), error_messages=messages, **common)
    if field_type == FieldType.BOOLEAN:
        messages["invalid_choice"] = f"Choose Yes or No for {field.label}."
        return forms.TypedChoiceField(
            choices=[("", "Not set"), (YES, "Yes"), (NO, "No")],
            coerce=lambda value: value == YES, empty_value=None,
            error_messages=messages, **common,
        )
    if field_type == FieldType.CHOICE:
        messages["invalid_choice"] = f"Choose one of the options for {field.label}: {_choices_text(field)}."
        return forms.ChoiceField(
            choices=[("", "Not set"), *((choice, choice) for choice in field.choices)],
            error_messages=messages, **common,
        )
    if field_type == FieldType.MULTIPLE_CHOICE:
        messages["invalid_choice"] = (
            f"Choose only options of {field.label}: {_choices_text(field)}."
        )
        return forms.MultipleChoiceField(
            choices=[(choice, choice) for choice in field.choices],
            widget=CheckboxList, error_messages=messages, **common,
        )
    if field_type == FieldType.USER:
        messages["invalid_choice"] = f"Choose an active user for {field.label}."
        return forms.TypedChoiceField(
            choices=[("", "Nobody"), *user_choices(keep_user_pk)], coerce=int, empty_value=None,
            error_messages=messages, **common,
        )
    if field_type == FieldType.URL:
        messages["invalid"] = f"Enter {field.label} as a web address, such as https://example.com."
        messages["max_length"] = f"Shorten {field.label} to at most {URL_MAX_LENGTH} characters."
        return forms.URLField(
            max_length=URL_MAX_LENGTH, assume_scheme="https", error_messages=messages, **common
        )
    raise ValueError(f"Unknown custom field type {field_type!r}.")


def to_stored(field: CustomField, value):
    """Turn a form field's cleaned value into the stored JSON value; None means no value."""
    if value is None or value == "" or value == []:
        return None
    field_type = field.field_type
    if field_type == FieldType.MONEY:
        return str(quantize_money(value))
    if field_type in (FieldType.NUMBER, FieldType.PERCENTAGE):
        return _plain_decimal(value)
    if field_type == FieldType.DATE:
        return value.isoformat()
    if field_type == FieldType.MULTIPLE_CHOICE:
        chosen = set(value)
        return [choice for choice in field.choices if choice in chosen]
    if field_type == FieldType.USER:
        return int(value)
    return value


def to_form_value(field: CustomField, stored):
    """Turn a stored value into what the field's form field shows as initial data."""
    if stored is None:
        return None
    if field.field_type == FieldType.BOOLEAN and isinstance(stored, bool):
        return YES if stored else NO
    if field.field_type == FieldType.MULTIPLE_CHOICE and not isinstance(stored, list):
        return [stored]
    return stored


def to_python(field: CustomField, stored):
    """Return a stored value as a Python value for display and typed export cells."""
    if stored is None or stored == "" or stored == []:
        return None
    try:
        if field.is_numeric:
            return Decimal(str(stored))
        if field.field_type == FieldType.DATE:
            return datetime.date.fromisoformat(stored)
    except (InvalidOperation, ValueError, TypeError):
        # A value stored before a change of type is shown as it is stored.
        return stored
    return stored


def _plain_decimal(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def form_data(field: CustomField, raw):
    """Turn a value from a spreadsheet cell or a JSON body into what the field's form field expects."""
    if raw is None:
        return [] if field.field_type == FieldType.MULTIPLE_CHOICE else ""
    return _to_form_data(field, raw)


def _to_form_data(field: CustomField, raw):
    field_type = field.field_type
    if field_type == FieldType.BOOLEAN:
        if isinstance(raw, bool):
            return YES if raw else NO
        word = str(raw).strip().lower()
        if word in _TRUE_WORDS:
            return YES
        if word in _FALSE_WORDS:
            return NO
        return word
    if field_type == FieldType.MULTIPLE_CHOICE:
        if isinstance(raw, (list, tuple)):
            return [str(item).strip() for item in raw]
        return [part.strip() for part in str(raw).split(MULTIPLE_CHOICE_SEPARATOR) if part.strip()]
    if field_type in (FieldType.NUMBER, FieldType.MONEY, FieldType.PERCENTAGE):
        if isinstance(raw, bool):
            return str(raw)
        if isinstance(raw, float):
            # repr() gives the shortest text that reads back as the same float: 0.1, not 0.1000000000000000055.
            return repr(raw)
        return raw if isinstance(raw, Decimal) else str(raw).strip()
    if field_type == FieldType.DATE:
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        return str(raw).strip()
    if field_type == FieldType.USER:
        return raw
    if isinstance(raw, (list, dict, bool)):
        return raw
    return str(raw).strip()


class ValueParser:
    """Parse values from imports and the API against definitions, with the form fields' rules.

    Active users are loaded once per parser, so parsing many rows with a user
    field costs one query. A user is named by primary key, username, e-mail or
    full name as the pages show it, ignoring case.
    """

    def __init__(self):
        self._users = None

    def parse(self, field: CustomField, raw, *, keep_user_pk: int | None = None):
        """Return the stored JSON value for `raw`, or None for an empty value.

        Raise ValidationError with a message that names the field; emptiness of
        a required field is the caller's to check.
        """
        if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
            return None
        if field.field_type == FieldType.USER:
            return self._parse_user(field, raw, keep_user_pk)
        if field.field_type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL, FieldType.CHOICE) and not isinstance(raw, str):
            raise ValidationError(f"Enter {field.label} as text.")

        data = _to_form_data(field, raw)
        return to_stored(field, form_field(field, required=False).clean(data))

    def _parse_user(self, field: CustomField, raw, keep_user_pk: int | None):
        if self._users is None:
            self._users = self._load_users()
        if isinstance(raw, bool):
            raise ValidationError(f"Choose an active user for {field.label}.")
        if isinstance(raw, int) and raw == keep_user_pk:
            return raw
        pk = self._users.get(str(raw).strip().casefold())
        if pk is not None:
            return pk
        raise ValidationError(
            f"Choose an active user for {field.label}: {raw} is not an active user's name, username, e-mail or id."
        )


    @staticmethod
    def _load_users() -> dict[str, int]:
        """Return active users' pks by id, full name, e-mail and username; later kinds win a clash."""
        users = {}
        for user in User.objects.filter(is_active=True):
            for name in (str(user), user.email, user.username, str(user.pk)):
                if name:
                    users[name.casefold()] = user.pk
        return users


def fits(field: CustomField, stored, parser: ValueParser | None = None) -> bool:
    """Return whether a stored value, possibly of another type, is valid for the definition as it is now."""
    if field.field_type == FieldType.USER:
        # A user stays valid only as a primary key, even when that user has left since.
        keep = stored if isinstance(stored, int) and not isinstance(stored, bool) else None
        if keep is None:
            return False
    else:
        keep = None
    try:
        (parser or ValueParser()).parse(field, stored_as_input(field, stored), keep_user_pk=keep)
    except ValidationError:
        return False
    return True


def stored_as_input(field: CustomField, stored):
    """Return a stored value as parser input for the field, which may have a new type."""
    # Values of a yes/no field read as the words a user would type.
    if isinstance(stored, bool) and field.field_type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE):
        return "Yes" if stored else "No"
    return stored


def clean_values(fields, submitted: dict, existing: dict, *, parser: ValueParser | None = None, check_required: bool = True) -> dict:
    """Validate submitted values by key and merge them into the existing ones.

    Keys not submitted keep their existing value, so values of retired fields
    survive. Raise ValidationError with a dict of errors by key.
    """
    parser = parser or ValueParser()
    by_key = {field.key: field for field in fields}
    merged = dict(existing)
    errors = {}

    for key in submitted:
        if key not in by_key:
            errors[key] = f"{key} is not a custom field here; use one of: {', '.join(by_key) or 'none defined'}."
    for key, value in submitted.items():
        field = by_key.get(key)
        if field is None:
            continue
        existing_value = existing.get(key)
        keep_pk = existing_value if field.field_type == FieldType.USER and isinstance(existing_value, int) else None
        try:
            stored = parser.parse(field, value, keep_user_pk=keep_pk)
        except ValidationError as error:
            errors[key] = " ".join(error.messages)
            continue
        if stored is None:
            merged.pop(key, None)
        else:
            merged[key] = stored

    if check_required:
        for field in fields:
            if field.required and not field.is_retired and merged.get(field.key) is None and field.key not in errors:
                errors[field.key] = _required_message(field)
    if errors:
        raise ValidationError(errors)
    return merged
