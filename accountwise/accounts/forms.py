from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accountwise.accounts.models import Account, Contact
from accountwise.core.concurrency import VersionedFormMixin
from accountwise.core.forms import DateInput, StyledFormMixin
from accountwise.core.permissions import is_administrator, viewable_accounts
from accountwise.customfields.forms import CustomFieldFormMixin
from accountwise.users.models import User


def find_same_name(name: str, exclude: Account) -> Account | None:
    """Return another account, deleted ones included, whose name differs from `name` at most in letter case."""
    return Account.all_objects.filter(name__iexact=name).exclude(pk=exclude.pk).first()


def duplicate_name_message(existing: Account, user=None, link_deleted_items: bool = False) -> str:
    """Return the error for a name that `existing` already has, and how to free it when it is in Deleted items.

    Only administrators open Deleted items, so only their message tells them to
    restore the account, with a link to that page when `link_deleted_items`.
    """
    if existing.deleted_at is None:
        return f"An account named {existing.name} already exists. Choose another name or open that account."
    if user is None or not is_administrator(user):
        return (f'An account named "{existing.name}" is in Deleted items. '
                "Ask an administrator to restore it, or choose another name.")
    if link_deleted_items:
        return format_html(
            'An account named "{}" is in <a href="{}">Deleted items</a>. Restore it, or choose another name.',
            existing.name, reverse("history:deleted-items"),
        )
    return f'An account named "{existing.name}" is in Deleted items. Restore it, or choose another name.'


def _users_for_choice(*keep_pks) -> QuerySet[User]:
    """Return active users, plus any already chosen, so an old choice stays valid on edit."""
    return User.objects.filter(Q(is_active=True) | Q(pk__in=[pk for pk in keep_pks if pk]))


def _parent_label(account: Account) -> str:
    if getattr(account, "is_shared", True):
        return account.name
    return "Parent account not shared with you"


class AccountForm(VersionedFormMixin, StyledFormMixin, CustomFieldFormMixin, forms.ModelForm):
    custom_field_entity = "account"

    # Declared here so that "example.com", as people usually type it, becomes https://example.com.
    website = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="The account's web address, for example https://example.com.",
    )

    class Meta:
        model = Account
        fields = [
            "name", "owner", "team_members", "type", "industry", "country", "parent",
            "website", "description",
        ]
        labels = {"team_members": "Team members", "type": "Account type"}
        help_texts = {
            "owner": "The key account manager responsible for the account.",
            "team_members": "Users who work the account with the owner and may change it. "
                            "Hold Ctrl (⌘ on a Mac) to select several.",
            "type": "Strategic accounts are the ones that matter most and stand out in lists.",
            "parent": "The group this account belongs to, if it is a subsidiary.",
        }
        widgets = {
            "team_members": forms.SelectMultiple(attrs={"size": 6}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user=None, link_deleted_items: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The browser form links Deleted items in a name error; the API returns plain text.
        self.link_deleted_items = link_deleted_items
        account = self.instance
        self.fields["owner"].queryset = _users_for_choice(account.owner_id)
        self.fields["owner"].empty_label = "No owner"
        team_pks = list(account.team_members.values_list("pk", flat=True)) if account.pk else []
        self.fields["team_members"].queryset = _users_for_choice(*team_pks)

        parents = Account.objects.order_by("name")
        if user is not None:
            # Offer only groups the user may see, but keep a parent already set so an edit stays valid.
            # A kept parent hidden from the user comes first under a neutral label, so neither its
            # name nor its place in the alphabet shows.
            shared = viewable_accounts(user).values("pk")
            parents = parents.filter(Q(pk__in=shared) | Q(pk=account.parent_id)).annotate(
                is_shared=Exists(shared.filter(pk=OuterRef("pk")))
            ).order_by("is_shared", "name")
        if account.pk:
            parents = parents.exclude(pk=account.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None"
        self.fields["parent"].label_from_instance = _parent_label

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        # The database constraint compares lower-cased names too, but its error names no field.
        existing = find_same_name(name, exclude=self.instance)
        if existing is not None:
            raise forms.ValidationError(self.name_taken_message(existing))
        return name

    def name_taken_message(self, existing: Account) -> str:
        return duplicate_name_message(existing, self.user, self.link_deleted_items)


class ContactForm(VersionedFormMixin, StyledFormMixin, CustomFieldFormMixin, forms.ModelForm):
    custom_field_entity = "contact"

    class Meta:
        model = Contact
        fields = [
            "first_name", "last_name", "job_title", "email", "phone", "is_key_player", "role",
            "sentiment", "decision_power", "relationship_owner", "last_contact_date", "reports_to",
        ]
        labels = {
            "email": "E-mail",
            "is_key_player": "Key player",
            "reports_to": "Reports to",
            "relationship_owner": "Relationship owner",
        }
        help_texts = {
            "is_key_player": "Key players are important to the relationship and are listed on "
                             "the account's Details tab.",
            "role": "The part this contact plays in decisions.",
            "sentiment": "How the contact feels about working with us; the relationship map "
                         "colours contacts by it.",
            "decision_power": "How much weight the contact carries in buying decisions.",
            "relationship_owner": "The colleague who looks after the relationship with this contact.",
            "last_contact_date": "When someone on the team last spoke to or met the contact.",
            "reports_to": "The contact's manager at the same account.",
        }
        widgets = {"last_contact_date": DateInput()}
        error_messages = {
            "last_contact_date": {"invalid": "Enter the last contact date as a date, such as 2026-03-31."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contact = self.instance
        colleagues = Contact.objects.filter(account_id=contact.account_id)
        if contact.pk:
            colleagues = colleagues.exclude(pk=contact.pk)
        self.fields["reports_to"].queryset = colleagues
        self.fields["reports_to"].empty_label = "Nobody"
        self.fields["role"].choices = [("", "No role")] + list(self.fields["role"].choices)[1:]
        for name in ("sentiment", "decision_power"):
            self.fields[name].choices = [("", "Not known")] + list(self.fields[name].choices)[1:]
        self.fields["relationship_owner"].queryset = _users_for_choice(contact.relationship_owner_id)
        self.fields["relationship_owner"].empty_label = "Nobody"

    def clean_last_contact_date(self):
        value = self.cleaned_data["last_contact_date"]
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(
                "The last contact date is in the future; enter the day of the last call or "
                "meeting, today at the latest."
            )
        return value
