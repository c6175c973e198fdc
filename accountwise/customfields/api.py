"""Custom fields in the REST API: values as a nested object, and the definitions as a resource."""

from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from accountwise.core import permissions
from accountwise.customfields.actions import DefinitionConflict, records_of, save_definition
from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.forms import FORM_PREFIX, CustomFieldDefinitionForm
from accountwise.customfields.models import CustomField
from accountwise.customfields.values import form_data

_VALUES_HELP = (
    "Custom field values by field key, such as {\"tier\": \"Gold\", \"budget\": \"1500.00\"}. "
    "Money, numbers and percentages are decimal strings, dates ISO dates, yes/no fields "
    "booleans, multiple choice fields lists of options and user fields user ids. A key left "
    "out keeps its value and null clears it. GET /api/v1/custom-fields/ lists the fields."
)


@extend_schema_field({"type": "object", "additionalProperties": True, "description": _VALUES_HELP})
class CustomFieldValuesField(serializers.Field):
    """The values of an entity's active custom fields; retired fields' values are kept but not shown."""

    def __init__(self, entity: str, **kwargs):
        self.entity = entity
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _VALUES_HELP)
        super().__init__(**kwargs)

    def to_representation(self, value) -> dict:
        keys = [field.key for field in active_definitions(self.entity)]
        stored = value or {}
        return {key: stored[key] for key in keys if key in stored}

    def to_internal_value(self, data) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError("Send custom_fields as an object of values by field key.")
        known = {field.key for field in active_definitions(self.entity)}
        unknown = sorted(key for key in data if key not in known)
        if unknown:
            raise serializers.ValidationError(
                {key: [f"{key} is not a custom field of this record; the keys are: "
                       f"{', '.join(sorted(known)) or 'none defined'}."] for key in unknown}
            )
        return data


def custom_field_form_data(form, submitted: dict | None) -> dict:
    """Return form data, by form field name, for the custom-field values an API client sent."""
    if not submitted:
        return {}
    definitions = {definition.key: definition for definition in getattr(form, "custom_field_definitions", [])}
    return {
        FORM_PREFIX + key: form_data(definitions[key], value)
        for key, value in submitted.items()
        if key in definitions
    }


def nest_custom_field_errors(errors: dict) -> dict:
    """Move form errors of "cf_<key>" fields under {"custom_fields": {key: [...]}}."""
    nested = {}
    for name in [name for name in errors if name.startswith(FORM_PREFIX)]:
        nested[name.removeprefix(FORM_PREFIX)] = errors.pop(name)
    if nested:
        errors["custom_fields"] = nested
    return errors


class CustomFieldSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False,
        help_text="The options of a single or multiple choice field, in order.",
    )
    is_retired = serializers.BooleanField(
        required=False, help_text="A retired field is hidden everywhere; its stored values are kept."
    )
    key = serializers.CharField(
        required=False, allow_blank=True, max_length=40,
        help_text="Lower-case letters, digits and single underscores; made from the label when left "
                  "out. It cannot change once the field exists.",
    )

    class Meta:
        model = CustomField
        fields = [
            "id", "entity", "key", "label", "field_type", "required", "choices", "help_text", "position",
            "show_in_list", "filterable", "is_retired", "created_at", "updated_at",
        ]
        read_only_fields = ["position", "created_at", "updated_at"]
        # The definition form checks that the key and the label are unique, with messages that name them.
        validators = []


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


_CONFLICT = OpenApiResponse(description="Stored values do not fit the new type or choices, or records still contain values of the field.")


@extend_schema_view(
    create=extend_schema(responses={201: CustomFieldSerializer, 409: _CONFLICT}),
    update=extend_schema(responses={200: CustomFieldSerializer, 409: _CONFLICT}),
    partial_update=extend_schema(responses={200: CustomFieldSerializer, 409: _CONFLICT}),
    destroy=extend_schema(responses={204: None, 409: _CONFLICT}),
)
class CustomFieldViewSet(viewsets.ModelViewSet):
    """Custom field definitions. Every user reads them, and administrators add, change and delete them.

    A field that records hold values for cannot be deleted: retire it instead.
    """

    queryset = CustomField.objects.order_by("entity", "position", "pk")
    serializer_class = CustomFieldSerializer
    lookup_value_regex = r"[0-9]+"
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["entity"]

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            permissions.require_administrator(request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = self._bound_form(CustomField(), serializer.validated_data)
        field = save_definition(form.instance, type_or_choices_changed=False)
        if serializer.validated_data.get("is_retired"):
            field.retire()
        return Response(self.get_serializer(field).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        field = self.get_object()
        serializer = self.get_serializer(field, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        saved_type, saved_choices = field.field_type, list(field.choices)
        retired = serializer.validated_data.get("is_retired", field.is_retired)

        with transaction.atomic():
            form = self._bound_form(field, serializer.validated_data)
            changed = field.field_type != saved_type or field.choices != saved_choices
            try:
                save_definition(field, type_or_choices_changed=changed)
            except DefinitionConflict as conflict:
                raise Conflict(_misfit_message(field, conflict)) from None
            if retired != field.is_retired:
                field.retire() if retired else field.restore()
        return Response(self.get_serializer(field).data)

    def perform_destroy(self, instance: CustomField) -> None:
        holding = records_of(instance.entity).filter(custom_fields__has_key=instance.key).count()
        if holding:
            raise Conflict(
                f"{holding} record{'s hold' if holding != 1 else ' holds'} a value for {instance.label}. "
                "Retire the field instead (is_retired: true) to hide it and keep the values."
            )
        instance.delete()

    def _bound_form(self, field: CustomField, validated: dict) -> CustomFieldDefinitionForm:
        data = {
            "entity": field.entity, "label": field.label, "key": field.key, "field_type": field.field_type,
            "choices_text": "\n".join(field.choices), "required": field.required, "help_text": field.help_text,
            "show_in_list": field.show_in_list, "filterable": field.filterable,
        }
        for name, value in validated.items():
            if name == "choices":
                data["choices_text"] = "\n".join(value)
            elif name in data:
                data[name] = value
        form = CustomFieldDefinitionForm(data=data, instance=field)
        if not form.is_valid():
            errors = {name: [error["message"] for error in messages] for name, messages in form.errors.get_json_data().items()}
            if "choices_text" in errors:
                errors["choices"] = errors.pop("choices_text")
            if "__all__" in errors:
                errors["non_field_errors"] = errors.pop("__all__")
            raise serializers.ValidationError(errors)
        return form


def _misfit_message(field: CustomField, conflict: DefinitionConflict) -> str:
    misfits = conflict.misfits
    listed = ", ".join(f"{record} (id {record.pk})" for record in misfits.records)
    return (
        f"Nothing was saved: {misfits.count} record{'s hold' if misfits.count != 1 else ' holds'} a "
        f"{field.label} value that would not fit the new type or choices, such as {listed}. "
        "Correct or clear those values first."
    )

