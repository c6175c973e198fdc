from django import forms

from accountwise.contracts.models import Contract
from accountwise.core.concurrency import VersionedFormMixin
from accountwise.core.forms import DateInput, MoneyField, StyledFormMixin
from accountwise.core.permissions import changeable_accounts
from accountwise.customfields.forms import CustomFieldFormMixin
from accountwise.notifications.forms import RenewalOverrideFormMixin
from accountwise.users.models import User

DESCRIPTION_HELP = (
    "Recommended: say what the customer buys and on what terms, so the team "
    "knows what the contract covers."
)


class ContractForm(VersionedFormMixin, StyledFormMixin, RenewalOverrideFormMixin, CustomFieldFormMixin, forms.ModelForm):
    """Add or edit a contract; offers an account chooser when no account is given."""

    custom_field_entity = "contract"

    value = MoneyField(required=False, help_text="Total contract value, in the organisation's currency.")

    class Meta:
        model = Contract
        fields = ["name", "description", "value", "start_date", "end_date", "owner", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {"description": DESCRIPTION_HELP}
        error_messages = {
            "name": {"required": "Enter a name for the contract."},
            "start_date": {"invalid": "Enter the start date as a date, such as 2027-01-31."},
            "end_date": {"invalid": "Enter the end date as a date, such as 2027-12-31."},
        }

    def __init__(self, *args, user: User, choose_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True)
        self.fields["owner"].empty_label = "No owner"
        if self.instance.pk is None and self.initial.get("owner") is None:
            self.initial["owner"] = user.pk

        if choose_account:
            self.fields = {"account": account_chooser(user), **self.fields}

    def clean(self):
        cleaned = super().clean()
        account = cleaned.get("account")
        if account is not None:
            self.instance.account = account
        return cleaned

    def missing_description_notice(self) -> str | None:
        """Return the reminder shown after saving a contract without a description, or None."""
        if self.cleaned_data.get("description", "").strip():
            return None
        name = self.cleaned_data.get("name", "The contract")
        return f"{name} has no description. Add one so the team knows what the contract covers."


def account_chooser(user: User) -> forms.ModelChoiceField:
    """Build the account field of the global "Create new" forms: active accounts the user may change."""
    field = forms.ModelChoiceField(
        queryset=changeable_accounts(user).active().order_by("name"),
        empty_label="Choose an account",
        error_messages={
            "required": "Choose the account this belongs to.",
            "invalid_choice": "Choose one of the listed accounts; you can add to accounts you own or are on the team of.",
        },
    )
    field.widget.attrs["class"] = "form-select"
    return field
