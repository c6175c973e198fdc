import re

from django import forms

from accountwise.core.models import Organisation
from accountwise.lib.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS

MONTH_CHOICES = [
    (1, "January"), (2, "February"), (3, "March"), (4, "April"), (5, "May"), (6, "June"),
    (7, "July"), (8, "August"), (9, "September"), (10, "October"), (11, "November"),
    (12, "December"),
]


class StyledFormMixin:
    """Give every widget its Bootstrap class, and mark fields with errors as invalid.

    Templates render such forms with core/_form_fields.html.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        # Errors are known only after validation, so invalid widgets are marked here.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OrganisationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "currency",
            "fiscal_year_start_month",
            "account_visibility",
            "document_links_known_providers_only",
        ]
        widgets = {"fiscal_year_start_month": forms.Select(choices=MONTH_CHOICES)}
        help_texts = {
            "currency": "All amounts are kept and shown in this one currency.",
            "fiscal_year_start_month": "Reports count the fiscal year from the first day of this month.",
        }


class MoneyField(forms.DecimalField):
    """An amount of money: Decimal, two places, not negative, typed as text.

    A text input (not type=number) keeps whatever the user typed when the value
    is invalid, so the error can show next to it. Thousands separators in the
    en-US style ("1,500.00") are accepted; a comma in any other place is not,
    because "1,5" could mean one and a half.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": "Enter an amount in digits, such as 1500.00.",
        "min_value": "Enter an amount of 0 or more.",
        "max_digits": "Enter an amount below 1,000,000,000,000 (at most 12 digits before the decimal point).",
        "max_whole_digits": "Enter an amount below 1,000,000,000,000 (at most 12 digits before the decimal point).",
        "max_decimal_places": "Enter at most 2 digits after the decimal point.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            if _GROUPED_AMOUNT.fullmatch(value):
                value = value.replace(",", "")
        return super().to_python(value)


_GROUPED_AMOUNT = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")
