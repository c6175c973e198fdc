"""Saved filters in the REST API: /api/v1/saved-filters/.

Everyone lists their own filters and the shared ones. Anyone creates personal
filters, but only administrators create shared ones. Renaming, changing and
deleting follow SavedFilter.can_manage, as in the UI.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.filters import OrderingFilter

from accountwise.core.permissions import is_administrator
from accountwise.portfolio.filters import AccountScopeFilter, ContractFilter, OpportunityFilter
from accountwise.portfolio.models import NAME_MAX_LENGTH, SavedFilter, SavedFilterEntity

# The filter definition that checks a saved filter's parameters, per entity.
_FILTERS = {
    SavedFilterEntity.ACCOUNTS: AccountScopeFilter,
    SavedFilterEntity.CONTRACTS: ContractFilter,
    SavedFilterEntity.OPPORTUNITIES: OpportunityFilter,
}


class SavedFilterSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    params = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True, max_length=500)),
        help_text="The filter's query parameters, each a list of values: those of the accounts list's account "
                  "filter, or of the contracts or opportunities portfolio view, such as "
                  '{"status": ["active"], "ends_within": ["90"]}.',
    )
    can_manage = serializers.SerializerMethodField(help_text="Whether you may rename, change or delete it.")

    class Meta:
        model = SavedFilter
        fields = ["id", "name", "entity", "is_shared", "params", "owner", "can_manage", "created_at", "updated_at"]
        read_only_fields = ["owner", "created_at", "updated_at"]

    def get_can_manage(self, saved: SavedFilter) -> bool:
        return saved.can_manage(self.context["request"].user)

    def validate_name(self, value: str) -> str:
        name = " ".join(value.split())
        if not name:
            raise serializers.ValidationError("Enter a name for the saved filter.")
        return name

    def validate(self, attrs: dict) -> dict:
        if self.instance is not None and "entity" in attrs and attrs["entity"] != self.instance.entity:
            raise serializers.ValidationError(
                {"entity": ["The entity of a saved filter cannot change. Save a new saved filter instead."]}
            )
        entity = attrs.get("entity") or self.instance.entity
        if "params" in attrs:
            self._check_params(entity, attrs["params"])
        return attrs

    def _check_params(self, entity: str, params: dict) -> None:
        query = QueryDict(mutable=True)
        for key, values in params.items():
            query.setlist(key, values)
        # With the request, an account hidden from the user is as unknown as one that does not exist.
        checked = _FILTERS[entity](query, request=self.context["request"])
        known = set(checked.form.fields)
        unknown = sorted(key for key in params if not any(key == name or key.startswith(f"{name}_") for name in known))
        if unknown:
            raise serializers.ValidationError(
                {"params": [f"Unknown filter parameter {key!r} for {entity}." for key in unknown]}
            )
        if not checked.is_valid():
            raise serializers.ValidationError(
                {"params": [f"{name}: {' '.join(messages)}" for name, messages in checked.form.errors.items()]}
            )


class SavedFilterViewSet(viewsets.ModelViewSet):
    """Saved filters: your own and the shared ones. Administrators publish shared filters."""

    serializer_class = SavedFilterSerializer
    lookup_value_regex = r"[0-9]+"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_fields = ["entity", "is_shared"]
    ordering = ["-id"]
    ordering_fields = ["id", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return SavedFilter.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        self._check_sharing(serializer.validated_data)
        self._save(serializer, owner=self.request.user)

    def perform_update(self, serializer):
        self._check_manage(serializer.instance)
        self._check_sharing(serializer.validated_data)
        self._save(serializer)

    def perform_destroy(self, instance: SavedFilter) -> None:
        self._check_manage(instance)
        instance.delete()

    def _check_manage(self, saved: SavedFilter) -> None:
        if not saved.can_manage(self.request.user):
            raise PermissionDenied("Only administrators rename, change or delete shared filters.")

    def _check_sharing(self, validated: dict) -> None:
        if validated.get("is_shared") and not is_administrator(self.request.user):
            raise PermissionDenied("Only administrators share filters with everyone.")

    def _save(self, serializer, **fields) -> None:
        try:
            with transaction.atomic():
                serializer.save(**fields)
        except IntegrityError:
            raise serializers.ValidationError(
                {"name": ["You already have a saved filter of this name for this entity. Choose another name."]}
            ) from None
