"""The shape of each resource in the API. Rules are checked by the UI's forms, not here."""

from django.db.models import Q
from django.urls import reverse
from rest_framework import serializers

from accountwise.accounts.models import Account, Contact
from accountwise.core.permissions import viewable_accounts
from accountwise.contracts.models import Contract
from accountwise.customfields.api import CustomFieldValuesField
from accountwise.documents.models import Document, DocumentKind
from accountwise.notifications.models import Notification
from accountwise.opportunities.models import Opportunity, OpportunityContact, OpportunityStatus, Stage
from accountwise.plans.forms import basis_value
from accountwise.plans.models import Plan, PlanAction
from accountwise.users.models import User


class SharedRecordField(serializers.PrimaryKeyRelatedField):
    """The id of an account, or of a record on one, among those the requesting user may see.

    An id on an account hidden from the user gets the same error as an id that
    does not exist, so the response does not reveal that the hidden account exists.
    `account_lookup` is the path from the record to its account: "pk" for an account.
    """

    def __init__(self, account_lookup: str = "account", **kwargs):
        self.account_lookup = account_lookup
        noun = kwargs["queryset"].model._meta.verbose_name
        kwargs.setdefault("error_messages", {
            "does_not_exist": f"{noun.capitalize()} {{pk_value}} does not exist or is not shared with you. "
                              "Use the id of one you can open.",
        })
        super().__init__(**kwargs)

    def get_queryset(self):
        shared = viewable_accounts(self.context["request"].user)
        return super().get_queryset().filter(**{f"{self.account_lookup}__in": shared})


class ParentAccountField(SharedRecordField):
    """A parent account the user may see, or the parent already set, so an edit that sends it back stays valid."""

    def __init__(self, **kwargs):
        super().__init__(account_lookup="pk", **kwargs)

    def get_queryset(self):
        account = self.parent.instance
        if account is None or account.parent_id is None:
            return super().get_queryset()
        shared = viewable_accounts(self.context["request"].user)
        return Account.objects.filter(Q(pk__in=shared.values("pk")) | Q(pk=account.parent_id))


class AccountSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    team_members = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), many=True, required=False)
    parent = ParentAccountField(queryset=Account.objects.all(), allow_null=True, required=False)
    # A plain string: the form accepts "example.com" and adds the scheme, as in the UI.
    website = serializers.CharField(max_length=500, allow_blank=True, required=False)
    custom_fields = CustomFieldValuesField("account")

    class Meta:
        model = Account
        fields = [
            "id", "name", "owner", "team_members", "type", "industry", "country", "parent",
            "website", "description", "status", "custom_fields", "created_at", "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]


class ContactSerializer(serializers.ModelSerializer):
    account = SharedRecordField(account_lookup="pk", queryset=Account.objects.all())
    relationship_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), allow_null=True, required=False
    )
    reports_to = SharedRecordField(queryset=Contact.objects.all(), allow_null=True, required=False)
    custom_fields = CustomFieldValuesField("contact")

    class Meta:
        model = Contact
        fields = [
            "id", "account", "first_name", "last_name", "job_title", "email", "phone", "is_key_player",
            "role", "sentiment", "decision_power", "relationship_owner", "last_contact_date",
            "reports_to", "custom_fields", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ContractSerializer(serializers.ModelSerializer):
    account = SharedRecordField(account_lookup="pk", queryset=Account.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    custom_fields = CustomFieldValuesField("contract")

    class Meta:
        model = Contract
        fields = [
            "id", "account", "name", "description", "value", "start_date", "end_date", "owner",
            "status", "opportunity", "custom_fields", "created_at", "updated_at",
        ]
        read_only_fields = ["opportunity", "created_at", "updated_at"]


class ContractFromOpportunitySerializer(serializers.Serializer):
    """The contract fields a client may set when creating the contract of a won opportunity.

    Each one left out takes the opportunity's value, as the UI's prefilled form does.
    """

    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)


class OpportunitySerializer(serializers.ModelSerializer):
    account = SharedRecordField(account_lookup="pk", queryset=Account.objects.all())
    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    status = serializers.ChoiceField(choices=OpportunityStatus.choices, read_only=True)
    estimated_value = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True)
    just_won = serializers.SerializerMethodField(
        help_text="True in the response of the save that made the opportunity closed won: "
                  "offer to create a contract from it, as the UI does."
    )

    custom_fields = CustomFieldValuesField("opportunity")

    class Meta:
        model = Opportunity
        fields = [
            "id", "account", "name", "stage", "value", "close_date", "description", "owner",
            "status", "estimated_value", "just_won", "custom_fields", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_just_won(self, opportunity: Opportunity) -> bool:
        return bool(getattr(opportunity, "just_won", False))


class StageSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=OpportunityStatus.choices, read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "name", "kind", "probability", "position", "is_retired", "status"]
        read_only_fields = ["kind", "position"]


class ContractTotalsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=None, decimal_places=2)


class OpportunityTotalsSerializer(ContractTotalsSerializer):
    estimated_value = serializers.DecimalField(max_digits=None, decimal_places=2)


class OpportunityContactSerializer(serializers.ModelSerializer):
    contact = SharedRecordField(queryset=Contact.objects.all())

    class Meta:
        model = OpportunityContact
        fields = ["contact", "buying_role", "created_at"]
        read_only_fields = ["created_at"]
        # The action adds the contact or changes its role, so a second POST is no duplicate.
        validators = []


class PlanSerializer(serializers.ModelSerializer):
    account = SharedRecordField(account_lookup="pk", queryset=Account.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    based_on = serializers.CharField(
        allow_blank=True, required=False,
        help_text='The contract or opportunity the plan serves, as "contract-<id>" or '
                  '"opportunity-<id>" of the same account, or empty for none.',
    )

    class Meta:
        model = Plan
        fields = [
            "id", "account", "name", "objective", "owner", "status", "start_date", "due_date",
            "based_on", "created_at", "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, plan: Plan) -> dict:
        data = super().to_representation(plan)
        data["based_on"] = basis_value(plan.based_on) if plan.based_on is not None else ""
        return data


class PlanActionSerializer(serializers.ModelSerializer):
    plan = SharedRecordField(queryset=Plan.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)

    class Meta:
        model = PlanAction
        fields = ["id", "plan", "title", "owner", "due_date", "done", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id", "account", "contract", "opportunity", "kind", "title", "original_name", "size",
            "content_type", "url", "provider", "uploaded_by", "download_url", "created_at",
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str | None:
        """Return the API path of an uploaded file's content, or None for a link."""
        if document.is_link:
            return None
        return reverse("api:v1:document-download", args=[document.pk])


class DocumentCreateSerializer(serializers.Serializer):
    """Upload a file (multipart/form-data, kind "upload") or link one (kind "link")."""

    account = SharedRecordField(account_lookup="pk", queryset=Account.objects.all())
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(required=False, help_text="The file, for kind upload.")
    url = serializers.CharField(required=False, help_text="The share link, for kind link.")
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    belongs_to = serializers.CharField(
        required=False, default="account",
        help_text='"account", or "contract-<id>" or "opportunity-<id>" of the same account.',
    )


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "contract", "days_before", "end_date", "message", "url", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")
