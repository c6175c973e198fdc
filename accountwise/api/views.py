"""The REST API. Each write binds the UI's form and saves through the UI's actions, so the rules stay in one place."""

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from accountwise.accounts import actions as account_actions
from accountwise.accounts.filters import account_list_queryset
from accountwise.accounts.forms import AccountForm, ContactForm
from accountwise.accounts.models import Account, Contact
from accountwise.accounts.views import _save_account
from accountwise.api import filters, serializers as api_serializers
from accountwise.api.concurrency import check_if_match, etag_of
from accountwise.contracts import actions as contract_actions
from accountwise.contracts.forms import ContractForm
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.core import permissions
from accountwise.core.models import Organisation
from accountwise.customfields.api import custom_field_form_data, nest_custom_field_errors
from accountwise.documents import actions as document_actions
from accountwise.documents.forms import DocumentForm
from accountwise.documents.models import Document, DocumentKind
from accountwise.documents.views import attachment_header
from accountwise.notifications import actions as notification_actions
from accountwise.notifications.models import Notification
from accountwise.opportunities import actions as opportunity_actions
from accountwise.opportunities.forms import OpportunityContactForm, OpportunityForm, StageForm
from accountwise.opportunities.models import Opportunity, Stage
from accountwise.plans import actions as plan_actions
from accountwise.plans.forms import PlanActionForm, PlanForm
from accountwise.plans.models import Plan, PlanAction

_IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="The ETag of the version you read. When it is no longer the stored version, "
                "the change is rejected with 412 instead of overwriting someone else's change.",
)
_STALE = OpenApiResponse(description="Precondition failed: the object changed since the ETag in If-Match was read.")


def _versioned(serializer_class) -> dict:
    """Return the schema of the writes that check If-Match, for extend_schema_view."""
    changed = extend_schema(parameters=[_IF_MATCH], responses={200: serializer_class, 412: _STALE})
    deleted = extend_schema(parameters=[_IF_MATCH], responses={204: None, 412: _STALE})
    return {"update": changed, "partial_update": changed, "destroy": deleted}


def _form_value(value):
    """Turn a validated serializer value into what a Django form field accepts."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list):
        return [_form_value(item) for item in value]
    return value


def _form_data(validated: dict) -> dict:
    return {name: _form_value(value) for name, value in validated.items()}


def _raise_form_errors(form) -> None:
    errors = {
        ("non_field_errors" if field == "__all__" else field): [error["message"] for error in messages]
        for field, messages in form.errors.get_json_data().items()
    }
    raise serializers.ValidationError(nest_custom_field_errors(errors))


def _require_writable(user, obj) -> None:
    """Raise 403 unless the policy lets the user change the object and its account is not archived."""
    permissions.require_change(user, obj)
    account = permissions.account_of(obj)
    if account.is_archived:
        raise PermissionDenied(f"{account} is archived, so it cannot be changed. Restore it first.")


def _without_renewal_override(form: ContractForm) -> ContractForm:
    """Return the contract form without its renewal-rule exception fields.

    NOTE: a contract's exception to the renewal rules stays out of the API until that
    feature settles. Without these fields the form leaves the exception as it is.
    """
    form.fields.pop("renewal_mode", None)
    form.fields.pop("renewal_days", None)
    return form


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class FormViewSet(viewsets.ModelViewSet):
    """A resource read through a serializer and written by binding the UI's form to the stored values plus the sent ones."""

    form_class = None
    # Fields fixed once the object exists, such as the account a contact belongs to.
    fixed_on_update: tuple[str, ...] = ()
    lookup_value_regex = r"[0-9]+"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    ordering = ["-id"]
    ordering_fields = ["id", "created_at", "updated_at"]

    def filter_queryset(self, queryset):
        # Filters choose what a list shows, so a single object is found whatever its status.
        if self.action not in ("list", "totals"):
            return queryset
        return super().filter_queryset(queryset)

    def form_kwargs(self) -> dict:
        return {}

    def make_form(self, **kwargs):
        return self.form_class(**kwargs, **self.form_kwargs())

    def new_instance(self, validated: dict) -> models.Model:
        """Return the unsaved object to create, after checking that the user may add it."""
        account = validated["account"]
        _require_writable(self.request.user, account)
        return self.queryset.model(account=account)

    def save_form(self, form) -> models.Model:
        return form.save()

    def bound_form(self, instance, validated: dict):
        unbound = self.make_form(instance=instance)
        data = {name: unbound[name].value() for name in unbound.fields}
        data.update({name: value for name, value in _form_data(validated).items() if name in unbound.fields})
        data.update(custom_field_form_data(unbound, validated.get("custom_fields")))
        form = self.make_form(data=data, instance=instance)
        if not form.is_valid():
            _raise_form_errors(form)
        return form

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return self._respond(instance, status.HTTP_200_OK)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.new_instance(serializer.validated_data)
        form = self.bound_form(instance, serializer.validated_data)
        return self._respond(self.save_form(form), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._locked_object()
            _require_writable(request.user, instance)
            check_if_match(request, instance)
            serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
            serializer.is_valid(raise_exception=True)
            validated = {k: v for k, v in serializer.validated_data.items() if k not in self.fixed_on_update}
            saved = self.save_form(self.bound_form(instance, validated))
        return self._respond(saved, status.HTTP_200_OK)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self._locked_object()
            _require_writable(request.user, instance)
            check_if_match(request, instance)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _locked_object(self):
        # Locking the row keeps a concurrent write from slipping between the If-Match check and the save.
        queryset = self.get_queryset().select_for_update(of=("self",))
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def _respond(self, instance, code: int) -> Response:
        headers = {"ETag": etag_of(instance)} if hasattr(instance, "updated_at") else {}
        return Response(self.get_serializer(instance).data, status=code, headers=headers)


@extend_schema_view(**_versioned(api_serializers.AccountSerializer))
class AccountViewSet(FormViewSet):
    """Accounts. They are archived, not deleted, and archived ones are read-only."""

    queryset = Account.objects.all()
    serializer_class = api_serializers.AccountSerializer
    form_class = AccountForm
    filterset_class = filters.ApiAccountFilter
    ordering = ["name"]
    ordering_fields = ["id", "name", "created_at", "updated_at"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        accounts = permissions.viewable_accounts(self.request.user)
        return account_list_queryset(accounts).prefetch_related("team_members")

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def new_instance(self, validated: dict) -> Account:
        if not permissions.can_create_account(self.request.user):
            raise PermissionDenied
        return Account(owner=self.request.user)

    def save_form(self, form) -> Account:
        if not _save_account(form):
            _raise_form_errors(form)
        return self.get_queryset().get(pk=form.instance.pk)

    @extend_schema(request=None, responses=api_serializers.AccountSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the account: it becomes read-only and leaves the default list."""
        account = self.get_object()
        permissions.require_change(request.user, account)
        if not account.is_archived:
            account_actions.archive_account(account, request.user)
        return self._respond(account, status.HTTP_200_OK)

    @extend_schema(request=None, responses=api_serializers.AccountSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        account = self.get_object()
        permissions.require_change(request.user, account)
        if account.is_archived:
            account_actions.restore_account(account, request.user)
        return self._respond(account, status.HTTP_200_OK)


@extend_schema_view(**_versioned(api_serializers.ContactSerializer))
class ContactViewSet(FormViewSet):
    queryset = Contact.objects.all()
    serializer_class = api_serializers.ContactSerializer
    form_class = ContactForm
    filterset_class = filters.ContactFilter
    ordering_fields = ["id", "last_name", "created_at", "updated_at"]
    fixed_on_update = ("account",)

    def get_queryset(self):
        return Contact.objects.filter(account__in=permissions.viewable_accounts(self.request.user)).select_related(
            "account"
        )


class _TotalsMixin:
    totals_serializer_class = None

    def totals(self, request):
        figures = self.filter_queryset(self.get_queryset()).totals()
        return Response(self.totals_serializer_class(figures).data)


@extend_schema_view(**_versioned(api_serializers.ContractSerializer))
class ContractViewSet(_TotalsMixin, FormViewSet):
    """Contracts. As in the UI they are archived through their status, not deleted."""

    queryset = Contract.objects.all()
    serializer_class = api_serializers.ContractSerializer
    form_class = ContractForm
    filterset_class = filters.ContractFilter
    ordering_fields = ["id", "name", "value", "start_date", "end_date", "created_at", "updated_at"]
    fixed_on_update = ("account",)
    totals_serializer_class = api_serializers.ContractTotalsSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Contract.objects.filter(account__in=permissions.viewable_accounts(self.request.user)).select_related(
            "account"
        )

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def make_form(self, **kwargs) -> ContractForm:
        return _without_renewal_override(super().make_form(**kwargs))

    @extend_schema(responses=api_serializers.ContractTotalsSerializer, filters=True)
    @action(detail=False, methods=["get"], pagination_class=None)
    def totals(self, request):
        """Return the count and total value of the contracts the filter selects."""
        return super().totals(request)


@extend_schema_view(**_versioned(api_serializers.OpportunitySerializer))
class OpportunityViewSet(_TotalsMixin, FormViewSet):
    """Opportunities. Saves go through the stage change the UI uses, so closing as won behaves the same."""

    queryset = Opportunity.objects.all()
    serializer_class = api_serializers.OpportunitySerializer
    form_class = OpportunityForm
    filterset_class = filters.OpportunityFilter
    ordering_fields = ["id", "name", "value", "close_date", "created_at", "updated_at"]
    fixed_on_update = ("account",)
    totals_serializer_class = api_serializers.OpportunityTotalsSerializer

    def get_queryset(self):
        return Opportunity.objects.filter(
            account__in=permissions.viewable_accounts(self.request.user)
        ).select_related("account", "stage")

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def save_form(self, form) -> Opportunity:
        opportunity = form.save(commit=False)
        try:
            just_won = opportunity_actions.change_stage(
                opportunity, form.cleaned_data["stage"], form.cleaned_data["value"], self.request.user
            )
        except opportunity_actions.StageRetiredError as error:
            raise serializers.ValidationError({"stage": [str(error)]}) from None
        opportunity.just_won = just_won
        return opportunity

    def perform_destroy(self, instance: Opportunity) -> None:
        opportunity_actions.delete_opportunity(instance, self.request.user)

    @extend_schema(
        methods=["GET"], responses=api_serializers.OpportunityContactSerializer(many=True), filters=False,
        parameters=[OpenApiParameter("cursor", exclude=True), OpenApiParameter("page_size", exclude=True)],
    )
    @extend_schema(methods=["POST"], request=api_serializers.OpportunityContactSerializer,
                   responses={201: api_serializers.OpportunityContactSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def contacts(self, request, pk=None):
        """List the opportunity's contacts with their buying roles. POST adds one or changes its role."""
        opportunity = self.get_object()
        if request.method == "GET":
            links = opportunity.opportunity_contacts.select_related("contact")
            return Response(api_serializers.OpportunityContactSerializer(links, many=True).data)

        _require_writable(request.user, opportunity)
        serializer = api_serializers.OpportunityContactSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        form = OpportunityContactForm(data=_form_data(serializer.validated_data), opportunity=opportunity)
        if not form.is_valid():
            _raise_form_errors(form)
        try:
            link = opportunity_actions.add_opportunity_contact(
                opportunity, form.cleaned_data["contact"], form.cleaned_data["buying_role"], request.user
            )
        except opportunity_actions.OpportunityContactError as error:
            raise serializers.ValidationError({"contact": [str(error)]}) from None
        return Response(api_serializers.OpportunityContactSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={204: None},
        parameters=[OpenApiParameter("contact", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True,
                                     description="The id of the contact to remove.")],
    )
    @contacts.mapping.delete
    def remove_contact(self, request, pk=None):
        """Remove a contact, named by `contact` in the query, from the opportunity."""
        opportunity = self.get_object()
        _require_writable(request.user, opportunity)
        contact_pk = request.query_params.get("contact", "")
        if not contact_pk.isdigit():
            raise serializers.ValidationError({"contact": ["Name the contact to remove, such as ?contact=12."]})
        contact = get_object_or_404(Contact, pk=contact_pk, account_id=opportunity.account_id)
        opportunity_actions.remove_opportunity_contact(opportunity, contact, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=api_serializers.ContractFromOpportunitySerializer,
        responses={
            201: api_serializers.ContractSerializer,
            409: OpenApiResponse(description="The opportunity is not closed won, or already has a contract."),
        },
        filters=False,
        parameters=[OpenApiParameter("cursor", exclude=True), OpenApiParameter("page_size", exclude=True)],
    )
    @action(detail=True, methods=["post"], pagination_class=None, filter_backends=[])
    def contract(self, request, pk=None):
        """Create the contract of a closed won opportunity, prefilled from it as the UI does."""
        opportunity = self.get_object()
        _require_writable(request.user, opportunity)
        serializer = api_serializers.ContractFromOpportunitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {
            **contract_actions.contract_prefill(opportunity),
            "owner": request.user,
            "status": ContractStatus.ACTIVE,
            **serializer.validated_data,
        }
        form = _without_renewal_override(
            ContractForm(data=_form_data(data), instance=Contract(account=opportunity.account), user=request.user)
        )
        if not form.is_valid():
            _raise_form_errors(form)
        try:
            contract = contract_actions.create_contract_from_opportunity(
                opportunity, request.user, form.cleaned_data
            )
        except contract_actions.OpportunityNotWonError as error:
            raise Conflict(str(error)) from None
        except contract_actions.ContractExistsError as error:
            message = contract_actions.contract_exists_message(opportunity, error.contract)
            raise Conflict(f"{message} The contract's id is {error.contract.pk}.") from None
        return Response(api_serializers.ContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=api_serializers.OpportunityTotalsSerializer, filters=True)
    @action(detail=False, methods=["get"], pagination_class=None)
    def totals(self, request):
        """Return the count, total value and estimated value of the opportunities the filter selects."""
        return super().totals(request)


class StageViewSet(viewsets.ModelViewSet):
    """Stages. Every user reads them, and administrators add, change and delete open stages.

    Stages carry no version, so their writes have no If-Match check.
    """

    queryset = Stage.objects.order_by("position", "pk")
    serializer_class = api_serializers.StageSerializer
    lookup_value_regex = r"[0-9]+"
    pagination_class = None

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            permissions.require_administrator(request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = self._bound_form(Stage(), serializer.validated_data)
        stage = opportunity_actions.add_open_stage(form.cleaned_data["name"], form.cleaned_data["probability"])
        return Response(self.get_serializer(stage).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        stage = self.get_object()
        serializer = self.get_serializer(stage, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        retired = serializer.validated_data.get("is_retired", stage.is_retired)
        with transaction.atomic():
            form = self._bound_form(stage, serializer.validated_data)
            form.save()
            if retired != stage.is_retired:
                self._set_retired(stage, retired)
        return Response(self.get_serializer(stage).data)

    def perform_destroy(self, instance: Stage) -> None:
        try:
            opportunity_actions.delete_stage(instance)
        except opportunity_actions.StageError as error:
            raise serializers.ValidationError({"non_field_errors": [str(error)]}) from None

    def _bound_form(self, stage: Stage, validated: dict) -> StageForm:
        data = {"name": stage.name, "probability": stage.probability}
        data.update({k: v for k, v in validated.items() if k in data})
        form = StageForm(data=data, instance=stage)
        if not form.is_valid():
            _raise_form_errors(form)
        return form

    def _set_retired(self, stage: Stage, retired: bool) -> None:
        try:
            opportunity_actions.set_stage_retired(stage, retired)
        except opportunity_actions.StageError as error:
            raise serializers.ValidationError({"is_retired": [str(error)]}) from None


@extend_schema_view(**_versioned(api_serializers.PlanSerializer))
class PlanViewSet(FormViewSet):
    """Account plans. A plan may serve one contract or opportunity, which has no other plan."""

    queryset = Plan.objects.all()
    serializer_class = api_serializers.PlanSerializer
    form_class = PlanForm
    filterset_class = filters.PlanFilter
    ordering_fields = ["id", "name", "due_date", "created_at", "updated_at"]
    fixed_on_update = ("account",)

    def get_queryset(self):
        return Plan.objects.filter(account__in=permissions.viewable_accounts(self.request.user)).select_related(
            "account", "contract", "opportunity"
        )

    def form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def save_form(self, form) -> Plan:
        try:
            return plan_actions.save_plan(form.save(commit=False), self.request.user)
        except plan_actions.PlanExistsError as error:
            message = f"{error.plan.based_on} already has a plan: {error.plan}. Choose other business or none."
            raise serializers.ValidationError({"based_on": [message]}) from None

    def perform_destroy(self, instance: Plan) -> None:
        plan_actions.delete_plan(instance, self.request.user)


@extend_schema_view(**_versioned(api_serializers.PlanActionSerializer))
class PlanActionViewSet(FormViewSet):
    """Actions of account plans. Setting `done` marks one done or not done."""

    queryset = PlanAction.objects.all()
    serializer_class = api_serializers.PlanActionSerializer
    form_class = PlanActionForm
    filterset_class = filters.PlanActionFilter
    ordering_fields = ["id", "due_date", "created_at", "updated_at"]
    fixed_on_update = ("plan",)

    def get_queryset(self):
        return PlanAction.objects.filter(
            plan__account__in=permissions.viewable_accounts(self.request.user)
        ).select_related("plan__account")

    def new_instance(self, validated: dict) -> PlanAction:
        plan = validated["plan"]
        _require_writable(self.request.user, plan)
        return PlanAction(plan=plan)

    def save_form(self, form) -> PlanAction:
        action = plan_actions.save_plan_action(form.save(commit=False), self.request.user)
        done = self._sent_done
        if done is not None and done != action.done:
            plan_actions.set_action_done(action, done, self.request.user)
        return action

    def bound_form(self, instance, validated: dict):
        self._sent_done = validated.get("done")
        return super().bound_form(instance, validated)

    def perform_destroy(self, instance: PlanAction) -> None:
        plan_actions.delete_plan_action(instance, self.request.user)


@extend_schema_view(destroy=extend_schema(responses={204: None}))
class DocumentViewSet(viewsets.ModelViewSet):
    """Documents: metadata, uploads and links with the UI's upload checks, and downloads through the permission policy."""

    serializer_class = api_serializers.DocumentSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = filters.DocumentFilter
    ordering = ["-id"]
    ordering_fields = ["id", "title", "created_at"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return Document.objects.filter(account__in=permissions.viewable_accounts(self.request.user))

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    @extend_schema(request={"multipart/form-data": api_serializers.DocumentCreateSerializer,
                            "application/json": api_serializers.DocumentCreateSerializer},
                   responses={201: api_serializers.DocumentSerializer})
    def create(self, request, *args, **kwargs):
        incoming = api_serializers.DocumentCreateSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        validated = incoming.validated_data
        account = validated["account"]
        _require_writable(request.user, account)

        form = DocumentForm(
            data={"kind": validated["kind"], "url": validated.get("url", ""), "title": validated.get("title", ""),
                  "belongs_to": validated["belongs_to"]},
            files={"file": validated["file"]} if "file" in validated else {},
            account=account,
            kind=validated["kind"],
            known_providers_only=Organisation.get().document_links_known_providers_only,
        )
        if not form.is_valid():
            _raise_form_errors(form)
        document = self._add(account, form)
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Document) -> None:
        _require_writable(self.request.user, instance)
        document_actions.delete_document(instance, self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """Return the uploaded file's content, under its original name."""
        document = self.get_object()
        if document.is_link:
            raise Http404
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=document.content_type)
        response["Content-Disposition"] = attachment_header(document.original_name)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _add(self, account, form: DocumentForm) -> Document:
        data = form.cleaned_data
        owners = {"contract": data["contract"], "opportunity": data["opportunity"]}
        if form.kind == DocumentKind.UPLOAD:
            return document_actions.add_upload(
                account, data["file"], data["file_type"], name=data["name"], title=data["title"],
                user=self.request.user, **owners,
            )
        return document_actions.add_link(
            account, data["url"], data["provider"], title=data["title"], user=self.request.user, **owners
        )


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's own in-app notifications, newest first, as the notification centre lists them."""

    serializer_class = api_serializers.NotificationSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = [OrderingFilter]
    ordering = ["-id"]
    ordering_fields = ["id", "created_at"]

    def get_queryset(self):
        return Notification.objects.for_recipient(self.request.user).in_app()

    @extend_schema(request=None, responses=api_serializers.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read."""
        notification = self.get_object()
        notification_actions.mark_read(request.user, notification.pk)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=api_serializers.MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[], pagination_class=None)
    def read_all(self, request):
        """Mark all the user's notifications read."""
        marked = notification_actions.mark_all_read(request.user)
        return Response({"marked": marked})
