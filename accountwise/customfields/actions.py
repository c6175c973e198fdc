"""Changes to custom-field definitions that touch the records holding their values."""

from dataclasses import dataclass, field as dataclass_field

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet

from accountwise.customfields.models import CustomField, Entity
from accountwise.customfields.values import ValueParser, fits, stored_as_input

MISFIT_LIST_LIMIT = 20
# Rows read at a time when checking or rewriting stored values.
_CHUNK_SIZE = 2000

_MODELS = {
    Entity.ACCOUNT: "accounts.Account",
    Entity.CONTACT: "accounts.Contact",
    Entity.CONTRACT: "contracts.Contract",
    Entity.OPPORTUNITY: "opportunities.Opportunity",
}


def model_for(entity: str):
    return apps.get_model(_MODELS[entity])


def records_of(entity: str) -> QuerySet:
    return model_for(entity)._default_manager.all()


def _has_value(key: str) -> Q:
    # Empty values are never stored, so a record without the key has no value.
    return Q(custom_fields__has_key=key) & ~Q(**{f"custom_fields__{key}": None})


def missing_value_counts(entity: str, fields: list[CustomField]) -> dict[str, int]:
    """Count, in one query, the records without a value for each required field."""
    required = [field for field in fields if field.required]
    if not required:
        return {}
    aggregates = {
        f"missing_{index}": Count("pk", filter=~_has_value(field.key))
        for index, field in enumerate(required)
    }
    counts = records_of(entity).order_by().aggregate(**aggregates)
    return {field.key: counts[f"missing_{index}"] for index, field in enumerate(required)}


@dataclass
class Misfits:
    """Records whose stored value would not fit a changed definition: the first few and the count."""

    records: list = dataclass_field(default_factory=list)
    count: int = 0


def find_misfits(definition: CustomField) -> Misfits:
    """Find records whose stored value is invalid for the definition as changed (not yet saved).

    SQL narrows the check to records that hold a value for the key, so records
    without one cost nothing. Whether a value fits a type is decided in Python
    with the same parser that imports and the API use.
    """
    misfits = Misfits()
    parser = ValueParser()
    holding = records_of(definition.entity).filter(_has_value(definition.key)).order_by("pk")
    for record in holding.iterator(chunk_size=_CHUNK_SIZE):
        stored = record.custom_fields.get(definition.key)
        if fits(definition, stored, parser):
            continue
        misfits.count += 1
        if len(misfits.records) < MISFIT_LIST_LIMIT:
            record.misfit_value = stored
            misfits.records.append(record)
    return misfits


class DefinitionConflict(Exception):
    def __init__(self, misfits: Misfits):
        super().__init__(f"{misfits.count} records hold values that do not fit.")
        self.misfits = misfits


def save_definition(definition: CustomField, *, type_or_choices_changed: bool) -> CustomField:
    """Save a new or changed definition; a new type or new choices must fit every stored value.

    Raise DefinitionConflict, saving nothing, when some records hold values
    that would not fit. Otherwise rewrite the stored values in the new type's
    shape, such as "12" as money becoming "12.00".
    """
    with transaction.atomic():
        if definition.pk is None:
            definition.position = _next_position(definition.entity)
            definition.save()
            return definition
        if not type_or_choices_changed:
            definition.save()
            return definition

        # Locking the definition makes two administrators' changes to one field run one after the other.
        CustomField.objects.select_for_update().get(pk=definition.pk)
        misfits = find_misfits(definition)
        if misfits.count:
            raise DefinitionConflict(misfits)
        definition.save()
        _rewrite_values(definition)
    return definition


def _rewrite_values(definition: CustomField) -> None:
    parser = ValueParser()
    model = model_for(definition.entity)
    holding = model._default_manager.filter(_has_value(definition.key)).order_by("pk")
    changed = []
    for record in holding.iterator(chunk_size=_CHUNK_SIZE):
        stored = record.custom_fields[definition.key]
        keep = stored if isinstance(stored, int) else None
        value = parser.parse(definition, stored_as_input(definition, stored), keep_user_pk=keep)
        if value != stored:
            record.custom_fields[definition.key] = value
            changed.append(record)
    # NOTE: bulk_update skips save() and so the audit history; the change is the
    # administrator's definition change, which has its own updated_at.
    model._default_manager.bulk_update(changed, ["custom_fields"], batch_size=500)


def _next_position(entity: str) -> int:
    last = CustomField.objects.filter(entity=entity).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def move_field(definition: CustomField, offset: int) -> None:
    """Swap a field with its neighbour among the entity's fields, numbering them all afresh."""
    with transaction.atomic():
        siblings = list(
            CustomField.objects.select_for_update().filter(entity=definition.entity).in_order()
        )
        index = next(i for i, sibling in enumerate(siblings) if sibling.pk == definition.pk)
        target = index + offset
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        CustomField.objects.bulk_update(siblings, ["position"])
