from django import forms
from django.conf import settings

from accountwise.core.forms import StyledFormMixin
from accountwise.documents.filetypes import SUPPORTED_TYPES_TEXT, clean_file_name, inspect_upload
from accountwise.documents.links import KNOWN_PROVIDERS_TEXT, MAX_LINK_LENGTH, validate_link
from accountwise.documents.models import DocumentKind

# Value of the "Belongs to" choice that attaches a document to the account only.
ACCOUNT_CHOICE = "account"


def owner_choice(contract=None, opportunity=None) -> str:
    """Return the "Belongs to" value for a contract, an opportunity, or the account itself."""
    if contract is not None:
        return f"contract-{contract.pk}"
    if opportunity is not None:
        return f"opportunity-{opportunity.pk}"
    return ACCOUNT_CHOICE


def max_upload_bytes() -> int:
    return settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024


class DocumentForm(StyledFormMixin, forms.Form):
    """Add a document to an account: upload a file, or link one, depending on `kind`.

    After validation, cleaned_data has "contract" and "opportunity", either
    of which may be None, in place of "belongs_to". An upload also has
    "file_type" and "name", the file name cleaned for display.
    """

    kind = forms.ChoiceField(choices=DocumentKind.choices, widget=forms.HiddenInput)
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty. Choose a file that has content.",
        },
    )
    url = forms.CharField(
        label="Link",
        max_length=MAX_LINK_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        error_messages={"required": "Paste the document's share link, starting with https://."},
    )
    title = forms.CharField(max_length=200)
    belongs_to = forms.ChoiceField(label="Belongs to")

    def __init__(self, *args, account, kind: str, known_providers_only: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.known_providers_only = known_providers_only
        self.initial["kind"] = kind
        self._owners = self._owner_choices(account)

        if kind == DocumentKind.UPLOAD:
            del self.fields["url"]
            limit = settings.DOCUMENT_MAX_UPLOAD_MB
            self.fields["file"].help_text = f"{SUPPORTED_TYPES_TEXT}; at most {limit} MB."
            self.fields["title"].required = False
            self.fields["title"].help_text = "Leave empty to use the file name."
        else:
            del self.fields["file"]
            allowed = KNOWN_PROVIDERS_TEXT if known_providers_only else f"{KNOWN_PROVIDERS_TEXT}, or any https page"
            self.fields["url"].help_text = f"The share link from {allowed}."
            self.fields["title"].error_messages["required"] = (
                "Enter a title for the link, such as “Signed contract 2027”."
            )
            self.fields["title"].help_text = "The name the team sees in lists."

    def _owner_choices(self, account) -> dict:
        """Fill the "Belongs to" choices and return the contract or opportunity behind each value."""
        contracts = list(account.contracts.order_by("name", "pk"))
        opportunities = list(account.opportunities.order_by("name", "pk"))
        owners = {ACCOUNT_CHOICE: None}
        owners.update({owner_choice(contract=c): c for c in contracts})
        owners.update({owner_choice(opportunity=o): o for o in opportunities})

        choices = [(ACCOUNT_CHOICE, f"{account.name} (the account only)")]
        if contracts:
            choices.append(("Contracts", [
                (owner_choice(contract=c), f"{c.name} (archived)" if c.is_archived else c.name)
                for c in contracts
            ]))
        if opportunities:
            choices.append(("Opportunities", [(owner_choice(opportunity=o), o.name) for o in opportunities]))
        self.fields["belongs_to"].choices = choices
        self.fields["belongs_to"].error_messages["invalid_choice"] = (
            "Choose the account, or one of its contracts or opportunities, from the list."
        )
        return owners

    @property
    def kind(self) -> str:
        return self.initial["kind"]

    def selected_owner(self):
        """Return the contract or opportunity chosen or preselected, None for the account or an unknown value."""
        return self._owners.get(self["belongs_to"].value() or "")

    def clean_file(self):
        # NOTE: Django has read the whole request by now, so a reverse proxy limit
        # (README, Documents) is what stops a huge upload before it reaches the disk.
        upload = self.cleaned_data["file"]
        name = clean_file_name(upload.name)
        self.cleaned_data["file_type"] = inspect_upload(upload, name, max_upload_bytes())
        self.cleaned_data["name"] = name
        return upload

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        self.cleaned_data["provider"] = validate_link(url, known_providers_only=self.known_providers_only)
        return url

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_belongs_to(self):
        value = self.cleaned_data["belongs_to"]
        owner = self._owners[value]
        self.cleaned_data["contract"] = owner if value.startswith("contract-") else None
        self.cleaned_data["opportunity"] = owner if value.startswith("opportunity-") else None
        return value
