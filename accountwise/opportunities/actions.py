"""Changes to opportunities and stages that every caller (views, API, import) makes through these functions."""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import ProtectedError

from accountwise.documents import actions as document_actions
from accountwise.history.deletion import soft_delete
from accountwise.opportunities.models import (
    Opportunity,
    OpportunityContact,
    Stage,
    StageChange,
    StageKind,
    contact_elsewhere_message,
)

logger = logging.getLogger(__name__)

# Gap between neighbouring stage positions, so a stage can be slotted in by hand.
_POSITION_STEP = 10


class StageError(Exception):
    """A stage change that the rules forbid; the message is written for the user."""


class StageRetiredError(StageError):
    pass


class FixedStageError(StageError):
    pass


class StageInUseError(StageError):
    def __init__(self, stage: Stage, count: int):
        if count == 1:
            usage = f"1 opportunity uses the stage {stage.name}. Move it"
        else:
            usage = f"{count} opportunities use the stage {stage.name}. Move them"
        super().__init__(f"{usage} to another stage first, then delete the stage.")
        self.count = count


def change_stage(opportunity: Opportunity, stage: Stage, value: Decimal, user) -> bool:
    """Move an opportunity to a stage with a value and save it, creating it when it is new.

    Every other field already set on the instance is saved too. Return True
    when this save makes the opportunity closed won, so the caller can offer
    to create a contract. Raise StageRetiredError for a retired stage the
    opportunity is not already at.
    """
    with transaction.atomic():
        stored = None
        if opportunity.pk is not None:
            # Locking the row makes "just won" true for one of two concurrent saves only.
            stored = (
                Opportunity.objects.select_for_update()
                .filter(pk=opportunity.pk)
                .values("stage_id", "stage__kind")
                .first()
            )
        if stage.is_retired and (stored is None or stored["stage_id"] != stage.pk):
            raise StageRetiredError(f"The stage {stage.name} is retired; choose another stage.")

        opportunity.stage = stage
        opportunity.value = value
        opportunity.save()
        if stored is None or stored["stage_id"] != stage.pk:
            change = StageChange(
                opportunity=opportunity,
                from_stage_id=stored["stage_id"] if stored else None,
                to_stage=stage,
                changed_by=user if getattr(user, "is_authenticated", False) else None,
            )
            StageChange.objects.record([change])

    was_won = stored is not None and stored["stage__kind"] == StageKind.WON
    logger.info(
        "Opportunity %s saved at stage %s with value %s by user %s",
        opportunity.pk, stage.pk, value, user.pk,
    )
    return stage.kind == StageKind.WON and not was_won


class OpportunityContactError(Exception):
    """A contact that cannot be associated with an opportunity; the message is written for the user."""


def add_opportunity_contact(opportunity: Opportunity, contact, buying_role: str, user) -> OpportunityContact:
    """Associate a contact with an opportunity in a buying role, or change the role it already has.

    Raise OpportunityContactError when the contact belongs to another account
    than the opportunity: a contact's opportunities are always its own account's.
    """
    if contact.account_id != opportunity.account_id:
        raise OpportunityContactError(contact_elsewhere_message(contact, opportunity))

    link, created = OpportunityContact.objects.update_or_create(
        opportunity=opportunity, contact=contact, defaults={"buying_role": buying_role}
    )
    logger.info(
        "Contact %s %s on opportunity %s as %s by user %s",
        contact.pk, "added" if created else "updated", opportunity.pk, buying_role, user.pk,
    )
    return link


def remove_opportunity_contact(opportunity: Opportunity, contact, user) -> bool:
    """Remove a contact from an opportunity; return False when it was not associated."""
    deleted, _ = OpportunityContact.objects.filter(opportunity=opportunity, contact=contact).delete()
    if deleted:
        logger.info("Contact %s removed from opportunity %s by user %s", contact.pk, opportunity.pk, user.pk)
    return bool(deleted)


def set_opportunity_contacts(opportunity: Opportunity, roles: dict, user) -> None:
    """Make the opportunity's contacts exactly the keys of `roles`, each in its buying role."""
    with transaction.atomic():
        links = opportunity.opportunity_contacts.select_related("contact")
        current = {link.contact: link.buying_role for link in links}
        for contact in current.keys() - roles.keys():
            remove_opportunity_contact(opportunity, contact, user)
        for contact, buying_role in roles.items():
            if current.get(contact) != buying_role:
                add_opportunity_contact(opportunity, contact, buying_role, user)


def delete_opportunity(opportunity: Opportunity, user, *, delete_documents: bool = False) -> int:
    """Delete an opportunity softly, so it can be restored. Its documents stay on the account unless `delete_documents` is true.

    Documents are deleted for good: restoring the opportunity does not bring them back.
    Return the number of documents deleted.
    """
    with transaction.atomic():
        deleted = document_actions.delete_documents(opportunity.documents.all(), user) if delete_documents else 0
        opportunity_pk = opportunity.pk
        soft_delete(opportunity, user)
    logger.info("Opportunity %s deleted by user %s with %s documents", opportunity_pk, user.pk, deleted)
    return deleted


def add_open_stage(name: str, probability: int) -> Stage:
    """Create an open stage after the last open one, before the fixed stages."""
    with transaction.atomic():
        stage = Stage.objects.create(name=name, probability=probability, kind=StageKind.OPEN)
        others = [other for other in _open_stages_in_order() if other.pk != stage.pk]
        _renumber([*others, stage])
    return stage


def move_stage(stage: Stage, offset: int) -> None:
    """Move an open stage up (offset -1) or down (+1) among the open stages.

    Moving the first stage up or the last one down changes nothing.
    """
    if stage.is_fixed:
        raise FixedStageError(f"{stage.name} always comes after the open stages; it cannot be moved.")

    with transaction.atomic():
        stages = _open_stages_in_order()
        index = next(i for i, candidate in enumerate(stages) if candidate.pk == stage.pk)
        target = index + offset
        if 0 <= target < len(stages):
            stages[index], stages[target] = stages[target], stages[index]
            _renumber(stages)


def set_stage_retired(stage: Stage, retired: bool) -> None:
    if stage.is_fixed:
        raise FixedStageError(f"{stage.name} always exists, so it cannot be retired.")

    stage.is_retired = retired
    stage.save(update_fields=["is_retired"])


def delete_stage(stage: Stage) -> None:
    """Delete an open stage that no opportunity uses; raise StageError otherwise."""
    if stage.is_fixed:
        raise FixedStageError(f"{stage.name} always exists, so it cannot be deleted.")

    count = stage.opportunities.count()
    if count:
        raise StageInUseError(stage, count)
    try:
        stage.delete()
    except ProtectedError:
        # An opportunity moved to the stage after the count above.
        raise StageInUseError(stage, stage.opportunities.count()) from None


def _open_stages_in_order() -> list[Stage]:
    return list(Stage.objects.select_for_update().open().order_by("position", "pk"))


def _renumber(open_stages: list[Stage]) -> None:
    """Number the open stages in the given order, then the fixed stages after them."""
    fixed = list(Stage.objects.exclude(kind=StageKind.OPEN).order_by("position", "pk"))
    stages = open_stages + fixed
    for number, stage in enumerate(stages, start=1):
        stage.position = number * _POSITION_STEP
    Stage.objects.bulk_update(stages, ["position"])
