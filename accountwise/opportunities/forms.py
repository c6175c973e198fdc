from django import forms
from django.db.models import Q

from accountwise.accounts.models import Contact, ContactRole
from accountwise.contracts.forms import account_chooser
from accountwise.core.concurrency import VersionedFormMixin
from accountwise.core.forms import DateInput, MoneyField, StyledFormMixin
from accountwise.customfields.forms import CustomFieldFormMixin
from accountwise.opportunities.models import BuyingRole, Opportunity, OpportunityContact, Stage
from accountwise.users.models import User

_PROBABILITY_ERROR = "Enter a probability from 0 to 100, in percent."


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, stage: Stage) -> str:
        return f"{stage.name} ({stage.probability} %)"


def offered_stages(opportunity: Opportunity):
    """Return the stages an opportunity may move to: all but retired ones, except the one it is at."""
    offered = Q(is_retired=False)
    if opportunity.stage_id is not None:
        offered |= Q(pk=opportunity.stage_id)
    return Stage.objects.filter(offered)


def _stage_field() -> StageChoiceField:
    return StageChoiceField(
        queryset=Stage.objects.none(),
        empty_label="Choose a stage",
        error_messages={
            "required": "Choose a stage.",
            "invalid_choice": "Choose one of the listed stages; retired stages cannot be chosen.",
        },
    )


class OpportunityForm(VersionedFormMixin, StyledFormMixin, CustomFieldFormMixin, forms.ModelForm):
    """Add or edit an opportunity; offers an account chooser when no account is given."""

    custom_field_entity = "opportunity"

    stage = _stage_field()
    value = MoneyField(
        error_messages={"required": "Enter the value, in the organisation's currency; 0 is allowed."},
        help_text="Expected value of the business, in the organisation's currency.",
    )

    class Meta:
        model = Opportunity
        fields = ["name", "stage", "value", "close_date", "description", "owner"]
        widgets = {
            "close_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"close_date": "When you expect the opportunity to close."}
        error_messages = {
            "name": {"required": "Enter a name for the opportunity."},
            "close_date": {
                "required": "Enter the expected close date.",
                "invalid": "Enter the close date as a date, such as 2027-06-30.",
            },
        }

    def __init__(self, *args, user: User, choose_account: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = offered_stages(self.instance)
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


class QuickUpdateForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """The inline form on an opportunity row: stage and value only."""

    stage = _stage_field()
    value = MoneyField(error_messages={"required": "Enter the value; 0 is allowed."})

    class Meta:
        model = Opportunity
        fields = ["stage", "value"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pk = self.instance.pk
        # Several rows can be open for editing at once, so ids must differ per row.
        self.auto_id = f"quick-{pk}-%s"
        self.fields["stage"].queryset = offered_stages(self.instance)

        # The inputs sit in table cells outside the <form>, which they join by its id.
        self.fields["stage"].widget.attrs.update(
            {"form": f"quick-update-{pk}", "class": "form-select form-select-sm", "aria-label": "Stage",
             "autofocus": True}
        )
        self.fields["value"].widget.attrs.update(
            {"form": f"quick-update-{pk}", "class": "form-control form-control-sm aw-figure text-end",
             "aria-label": "Value"}
        )


class StageForm(StyledFormMixin, forms.ModelForm):
    """Name and probability of a stage, for adding an open stage or changing any stage."""

    class Meta:
        model = Stage
        fields = ["name", "probability"]
        labels = {"probability": "Probability (%)"}
        error_messages = {
            "name": {"required": "Enter a name for the stage."},
            "probability": {
                "required": _PROBABILITY_ERROR,
                "invalid": _PROBABILITY_ERROR,
                "min_value": _PROBABILITY_ERROR,
                "max_value": _PROBABILITY_ERROR,
            },
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Stage.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).first()
        if clash is not None:
            raise forms.ValidationError(f"A stage named {clash.name} already exists; choose another name.")
        return name


# The buying role first offered for a contact whose general role has a namesake among buying roles.
_SUGGESTED_BUYING_ROLES = {
    ContactRole.DECISION_MAKER: BuyingRole.DECISION_MAKER,
    ContactRole.CHAMPION: BuyingRole.CHAMPION,
    ContactRole.INFLUENCER: BuyingRole.INFLUENCER,
}
_BUYING_ROLE_CHOICES = [("", "Choose a buying role"), *BuyingRole.choices]


class OpportunityContactForm(StyledFormMixin, forms.ModelForm):
    """Associate one more contact of the account with an opportunity."""

    class Meta:
        model = OpportunityContact
        fields = ["contact", "buying_role"]
        labels = {"buying_role": "Buying role"}
        help_texts = {"buying_role": "The part the contact plays in this buying decision."}
        error_messages = {
            "contact": {
                "required": "Choose a contact.",
                "invalid_choice": "Choose one of the listed contacts: those of the opportunity's "
                                  "account that are not on it yet.",
            },
            "buying_role": {"required": "Choose the contact's buying role."},
        }

    def __init__(self, *args, opportunity: Opportunity, **kwargs):
        super().__init__(*args, instance=OpportunityContact(opportunity=opportunity), **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            account_id=opportunity.account_id
        ).exclude(opportunity_links__opportunity=opportunity)
        self.fields["contact"].empty_label = "Choose a contact"
        self.fields["buying_role"].choices = _BUYING_ROLE_CHOICES
        # Several rows of the opportunities section can show this form at once.
        self.auto_id = f"opportunity-{opportunity.pk}-%s"
        self.fields["contact"].widget.attrs["aria-label"] = "Contact"
        self.fields["buying_role"].widget.attrs["aria-label"] = "Buying role"

    def has_choices(self) -> bool:
        return self.fields["contact"].queryset.exists()


class OpportunityContactsForm(StyledFormMixin, forms.Form):
    """The contacts part of the opportunity form: a tick box and a buying role per contact of the account."""

    prefix = "contacts"

    def __init__(self, *args, opportunity: Opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.contacts = list(Contact.objects.filter(account_id=opportunity.account_id))
        current = {}
        if opportunity.pk is not None:
            current = {link.contact_id: link.buying_role for link in opportunity.opportunity_contacts.all()}

        for contact in self.contacts:
            # StyledFormMixin has already styled the declared fields, so these get their classes here.
            self.fields[f"linked_{contact.pk}"] = forms.BooleanField(
                required=False,
                initial=contact.pk in current,
                label=contact.full_name,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"role_{contact.pk}"] = forms.ChoiceField(
                required=False,
                choices=_BUYING_ROLE_CHOICES,
                initial=current.get(contact.pk) or _SUGGESTED_BUYING_ROLES.get(contact.role, ""),
                label=f"Buying role of {contact.full_name}",
            )
            self.fields[f"role_{contact.pk}"].widget.attrs.update(
                {"class": "form-select form-select-sm", "aria-label": f"Buying role of {contact.full_name}"}
            )

    def clean(self):
        cleaned = super().clean()
        for contact in self.contacts:
            if cleaned.get(f"linked_{contact.pk}") and not cleaned.get(f"role_{contact.pk}"):
                self.add_error(
                    f"role_{contact.pk}",
                    f"Choose a buying role for {contact.full_name}, or untick the contact.",
                )
        return cleaned

    def rows(self) -> list[dict]:
        """Return, per contact, the bound tick box and buying role fields, for the template."""
        return [
            {"contact": contact, "linked": self[f"linked_{contact.pk}"], "role": self[f"role_{contact.pk}"]}
            for contact in self.contacts
        ]

    def roles(self) -> dict:
        """Return the ticked contacts, each mapped to its buying role."""
        return {
            contact: self.cleaned_data[f"role_{contact.pk}"]
            for contact in self.contacts
            if self.cleaned_data.get(f"linked_{contact.pk}")
        }
