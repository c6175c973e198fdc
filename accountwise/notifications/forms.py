import re

from django import forms
from django.core.exceptions import ValidationError

from accountwise.core.forms import StyledFormMixin
from accountwise.notifications.actions import save_override
from accountwise.notifications.models import (
    MAX_DAYS_BEFORE,
    MIN_DAYS_BEFORE,
    NotificationPreference,
    OverrideMode,
    RenewalOverride,
    RenewalRule,
    validate_days_before,
    validate_name_pattern,
)
from accountwise.opportunities.models import Stage
from accountwise.users.models import User

_DAYS_SEPARATOR = re.compile(r"[,;\s]+")


class DaysBeforeField(forms.CharField):
    """Numbers of days typed as "90, 30, 7"; cleans to a list of distinct whole days, largest first."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "help_text",
            f"Whole days before the contract's end date, separated by commas, such as 90, 30, 7 "
            f"({MIN_DAYS_BEFORE} to {MAX_DAYS_BEFORE}).",
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "90, 30, 7")

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = super().to_python(value).strip(" ,;")
        if not text:
            return []
        days = []
        for part in _DAYS_SEPARATOR.split(text):
            if not part.isdigit():
                raise ValidationError(
                    f"{part} is not a whole number of days; enter numbers separated by commas, such as 90, 30, 7."
                )
            days.append(int(part))
        return sorted(set(days), reverse=True)

    def validate(self, value):
        super().validate(value)
        if value:
            validate_days_before(value)


class RenewalRuleForm(StyledFormMixin, forms.ModelForm):
    days_before = DaysBeforeField(
        label="Days before the end date",
        error_messages={"required": "Enter at least one number of days, such as 90, 30, 7."},
    )
    create_opportunity = forms.BooleanField(
        label="Create a renewal opportunity", required=False,
        help_text="On the contract's account, linked to the contract, once per end date.",
    )

    class Meta:
        model = RenewalRule
        fields = [
            "name", "days_before",
            "notify_contract_owner", "notify_account_owner", "notify_account_team", "named_users",
            "by_in_app", "by_email",
            "opportunity_days_before", "opportunity_stage", "opportunity_name",
            "is_active",
        ]
        labels = {
            "by_in_app": "In the app (the bell)",
            "by_email": "By e-mail",
            "opportunity_days_before": "Days before the end date",
            "opportunity_stage": "Stage",
            "opportunity_name": "Name",
            "is_active": "Active",
        }
        help_texts = {
            "named_users": "Also notify these people about every contract, whatever account it is on.",
            "opportunity_name": "Placeholders: {contract}, {account} and {end_date}.",
            "is_active": "An inactive rule sends nothing and creates no opportunities.",
        }
        widgets = {"named_users": forms.CheckboxSelectMultiple}
        error_messages = {
            "name": {"required": "Enter a name for the rule, such as Standard renewals."},
            "opportunity_days_before": {
                "invalid": "Enter a whole number of days, such as 90.",
                "min_value": f"Enter days between {MIN_DAYS_BEFORE} and {MAX_DAYS_BEFORE}.",
                "max_value": f"Enter days between {MIN_DAYS_BEFORE} and {MAX_DAYS_BEFORE}.",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = User.objects.filter(is_active=True)
        self.fields["opportunity_stage"].queryset = Stage.objects.in_use().open()
        self.fields["opportunity_stage"].empty_label = "Choose a stage"
        # Needed only with "Create a renewal opportunity"; clean() checks it then.
        self.fields["opportunity_name"].required = False
        self.fields["opportunity_days_before"].widget.attrs.update(
            {"min": MIN_DAYS_BEFORE, "max": MAX_DAYS_BEFORE}
        )
        if not self.is_bound:
            self.initial["create_opportunity"] = self.instance.creates_opportunity

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = RenewalRule.objects.exclude(pk=self.instance.pk).filter(name__iexact=name)
        if others.exists():
            raise ValidationError(f"A rule named {name} exists already; choose another name.")
        return name

    def clean(self):
        cleaned = super().clean()
        recipients = ("notify_contract_owner", "notify_account_owner", "notify_account_team")
        if not any(cleaned.get(name) for name in recipients) and not cleaned.get("named_users"):
            self.add_error(
                "notify_contract_owner",
                "Choose at least one recipient: the contract owner, the account owner, the account team or named users.",
            )
        if not cleaned.get("by_in_app") and not cleaned.get("by_email"):
            self.add_error("by_in_app", "Choose at least one channel: in the app, by e-mail or both.")
        self._clean_opportunity(cleaned)
        return cleaned

    def _clean_opportunity(self, cleaned: dict) -> None:
        if not cleaned.get("create_opportunity"):
            # Without the checkbox the opportunity fields do nothing, so what they hold is no error.
            for name in ("opportunity_days_before", "opportunity_stage", "opportunity_name"):
                self._errors.pop(name, None)
            cleaned["opportunity_days_before"] = None
            if not _is_name_pattern(cleaned.get("opportunity_name", "")):
                cleaned["opportunity_name"] = self.instance.opportunity_name
            return
        if cleaned.get("opportunity_days_before") is None and "opportunity_days_before" not in self.errors:
            self.add_error("opportunity_days_before", "Enter how many days before the end date to create it, such as 90.")
        if not cleaned.get("opportunity_name") and "opportunity_name" not in self.errors:
            self.add_error("opportunity_name", "Enter a name for the opportunities, such as Renewal of {contract}.")
        if cleaned.get("opportunity_stage") is None and "opportunity_stage" not in self.errors:
            self.add_error("opportunity_stage", "Choose the stage the renewal opportunity starts at.")


class NotificationPreferenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["in_app", "email"]
        labels = {"in_app": "In the app: the bell and the notification list", "email": "By e-mail"}


class RenewalOverrideFormMixin:
    """Add a contract's exception to the renewal rules to the contract form when it edits a contract.

    The form creating a contract leaves it out: a new contract follows the
    rules, and one created from an opportunity is not saved through the form.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            return

        override = RenewalOverride.objects.filter(contract=self.instance).first()
        self.fields["renewal_mode"] = forms.ChoiceField(
            label="Renewal notifications",
            choices=[("", "Follow the renewal rules"), *OverrideMode.choices],
            required=False,
            initial=override.mode if override else "",
            help_text=f"{_active_rules_summary()} Off also stops the rules from creating a renewal opportunity for this contract.",
        )
        self.fields["renewal_days"] = DaysBeforeField(
            label="Days before the end date for this contract",
            required=False,
            initial=override.days_before if override else [],
            help_text="Used in place of each rule's days when other days are chosen above.",
        )
        self.fields["renewal_days"].widget.attrs["placeholder"] = "60, 14"

    def clean(self):
        cleaned = super().clean()
        if "renewal_mode" not in self.fields:
            return cleaned
        if cleaned.get("renewal_mode") == OverrideMode.CUSTOM_DAYS and not cleaned.get("renewal_days"):
            if "renewal_days" not in self.errors:
                self.add_error("renewal_days", "Enter the days for this contract, such as 60, 14, or follow the rules.")
        return cleaned

    def save(self, commit=True):
        contract = super().save(commit=commit)
        if commit and "renewal_mode" in self.fields:
            save_override(contract, self.cleaned_data["renewal_mode"], self.cleaned_data["renewal_days"])
        return contract


def _is_name_pattern(pattern: str) -> bool:
    try:
        validate_name_pattern(pattern)
    except ValidationError:
        return False
    return bool(pattern)


def _active_rules_summary() -> str:
    rules = list(RenewalRule.objects.active().values_list("name", "days_before"))
    if not rules:
        return "No renewal rule is active now."
    described = "; ".join(f"{name}, {', '.join(str(day) for day in days)} days ahead" for name, days in rules)
    return f"Active rules: {described}."
