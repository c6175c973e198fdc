"""Build the History tab: who changed which record, when, and which fields, from django-simple-history.

The historical tables of accounts, contacts, contracts, opportunities, plans
and plan actions are read as one feed, newest first. A page of the feed costs
a fixed number of queries whatever its length: one count, one page of
(kind, history id) pairs, two per kind on the page (its rows and the rows
before them, to diff against), one per related model whose names show, and
one per kind to know which records still exist.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Subquery, Value

from accountwise.accounts.models import Account, Contact
from accountwise.contracts.models import Contract
from accountwise.core.values import EMPTY, display_model_value, display_plain
from accountwise.opportunities.models import Opportunity
from accountwise.plans.models import Plan, PlanAction

ENTRIES_PER_PAGE = 25

# Fields every save changes, or that only identify the record, so an entry does not list them.
_UNLISTED_FIELDS = {"id", "created_at", "updated_at", "deleted_at", "deleted_by"}

_ACTION_LABELS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class _Kind:
    key: str
    model: type[models.Model]
    label: str

    @property
    def historical(self) -> type[models.Model]:
        return self.model.history.model


KINDS = {
    kind.key: kind
    for kind in (
        _Kind("account", Account, "Account"),
        _Kind("contact", Contact, "Contact"),
        _Kind("contract", Contract, "Contract"),
        _Kind("opportunity", Opportunity, "Opportunity"),
        _Kind("plan", Plan, "Plan"),
        _Kind("plan_action", PlanAction, "Plan action"),
    )
}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    user: object
    kind: str
    record: str
    url: str | None
    action: str
    changes: list[FieldChange] = field(default_factory=list)


def account_sources(account: Account) -> dict[str, models.QuerySet]:
    """Return the historical rows of the account and of everything on it, by kind."""
    plan_ids = Plan.history.filter(account_id=account.pk).values("id")
    return {
        "account": Account.history.filter(id=account.pk),
        "contact": Contact.history.filter(account_id=account.pk),
        "contract": Contract.history.filter(account_id=account.pk),
        "opportunity": Opportunity.history.filter(account_id=account.pk),
        "plan": Plan.history.filter(account_id=account.pk),
        "plan_action": PlanAction.history.filter(plan_id__in=plan_ids),
    }


def record_sources(record: models.Model) -> dict[str, models.QuerySet]:
    """Return the historical rows of one record; a plan's include those of its actions."""
    kind = next(key for key, kind in KINDS.items() if isinstance(record, kind.model))
    sources = {kind: KINDS[kind].model.history.filter(id=record.pk)}
    if kind == "plan":
        sources["plan_action"] = PlanAction.history.filter(plan_id=record.pk)
    return sources


def history_page(sources: dict[str, models.QuerySet], page_number, currency: str) -> Page:
    """Return one page of the feed; its object_list contains Entry objects, newest first."""
    parts = [
        queryset.order_by().annotate(kind=Value(key, output_field=models.CharField()))
        .values_list("kind", "history_id", "history_date")
        for key, queryset in sources.items()
    ]
    feed = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    feed = feed.order_by("-history_date", "-history_id")

    page = Paginator(feed, ENTRIES_PER_PAGE).get_page(page_number)
    page.object_list = _entries(list(page.object_list), currency)
    return page


def _entries(keys: list[tuple], currency: str) -> list[Entry]:
    ids_by_kind: dict[str, list[int]] = {}
    for kind, history_id, _ in keys:
        ids_by_kind.setdefault(kind, []).append(history_id)

    rows, previous = {}, {}
    for kind, ids in ids_by_kind.items():
        kind_rows, kind_previous = _rows_with_previous(KINDS[kind], ids)
        rows.update({(kind, row.history_id): row for row in kind_rows})
        previous.update({(kind, row.history_id): row for row in kind_previous})
    teams = _team_members(
        [key[1] for key in list(rows) + list(previous) if key[0] == "account"]
    )
    team_user_ids = set().union(*teams.values()) if teams else set()
    names = _related_names([*rows.values(), *previous.values()], team_user_ids)
    existing = _existing_records(rows)

    entries = []
    for kind, history_id, _ in keys:
        row = rows[(kind, history_id)]
        before = previous.get((kind, row.prev_history_id)) if row.prev_history_id else None
        entries.append(_entry(KINDS[kind], row, before, names, teams, existing, currency))
    return entries


def _rows_with_previous(kind: _Kind, history_ids: list[int]) -> tuple[list, list]:
    historical = kind.historical
    before = (
        historical.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    rows = list(
        historical.objects.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(prev_history_id=Subquery(before))
    )
    previous_ids = [row.prev_history_id for row in rows if row.prev_history_id]
    previous = list(historical.objects.filter(history_id__in=previous_ids)) if previous_ids else []
    for row in previous:
        row.prev_history_id = None
    return rows, previous


def _team_members(account_history_ids: list[int]) -> dict[int, frozenset]:
    """Return the team member ids stored with each historical account row."""
    if not account_history_ids:
        return {}
    through = Account.history.model._meta.get_field("historicalaccount_team_members").related_model
    teams: dict[int, set] = {history_id: set() for history_id in account_history_ids}
    pairs = through.objects.filter(history_id__in=account_history_ids).values_list("history_id", "user_id")
    for history_id, user_id in pairs:
        teams[history_id].add(user_id)
    return {history_id: frozenset(members) for history_id, members in teams.items()}


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _UNLISTED_FIELDS]


def _related_names(rows: list, team_user_ids: set) -> dict[tuple, str]:
    """Load the names of every object a foreign key of these rows points to, one query per model."""
    wanted: dict[type, set] = {Account.team_members.field.related_model: set(team_user_ids)}
    for row in rows:
        for model_field in _tracked_fields(row.instance_type):
            value = getattr(row, model_field.attname)
            if model_field.is_relation and value is not None:
                wanted.setdefault(model_field.related_model, set()).add(value)

    names = {}
    for model, pks in wanted.items():
        if pks:
            for obj in model._base_manager.filter(pk__in=pks):
                names[(model, obj.pk)] = str(obj)
    return names


def _existing_records(rows: dict) -> set[tuple]:
    """Return (kind, pk) of the records that still exist and are not deleted, so they can be linked."""
    pks_by_kind: dict[str, set] = {}
    for (kind, _), row in rows.items():
        target_kind, pk = ("plan", row.plan_id) if kind == "plan_action" else (kind, row.id)
        pks_by_kind.setdefault(target_kind, set()).add(pk)
    existing = set()
    for kind, pks in pks_by_kind.items():
        for pk in KINDS[kind].model.objects.filter(pk__in=pks).values_list("pk", flat=True):
            existing.add((kind, pk))
    return existing


def _entry(kind: _Kind, row, before, names, teams, existing, currency) -> Entry:
    action = _ACTION_LABELS[row.history_type]
    changes = []
    if row.history_type == "~" and before is not None:
        changes = _changes(kind.model, before, row, names, currency)
        changes += _team_changes(kind, before, row, names, teams)
        if getattr(before, "deleted_at", None) is None and getattr(row, "deleted_at", None) is not None:
            action = "Deleted"
        elif getattr(before, "deleted_at", None) is not None and getattr(row, "deleted_at", None) is None:
            action = "Restored"

    return Entry(
        when=row.history_date,
        user=row.history_user,
        kind=kind.label,
        record=_record_name(kind, row),
        url=_record_url(kind, row, existing),
        action=action,
        changes=changes,
    )


def _record_name(kind: _Kind, row) -> str:
    if kind.key == "contact":
        return f"{row.first_name} {row.last_name}".strip()
    if kind.key == "plan_action":
        return row.title
    return row.name


def _record_url(kind: _Kind, row, existing: set) -> str | None:
    if kind.key == "plan_action":
        if ("plan", row.plan_id) in existing:
            return Plan(pk=row.plan_id).get_absolute_url()
        return None
    if (kind.key, row.id) in existing:
        return kind.model(pk=row.id).get_absolute_url()
    return None


def _changes(model, before, after, names: dict, currency: str) -> list[FieldChange]:
    changes = []
    for model_field in _tracked_fields(model):
        old, new = getattr(before, model_field.attname), getattr(after, model_field.attname)
        if old == new:
            continue
        if model_field.name == "custom_fields":
            changes += _custom_field_changes(old or {}, new or {})
            continue
        changes.append(FieldChange(
            label=str(model_field.verbose_name).capitalize(),
            old=display_model_value(model_field, old, names, currency),
            new=display_model_value(model_field, new, names, currency),
        ))
    return changes


def _custom_field_changes(old: dict, new: dict) -> list[FieldChange]:
    # NOTE: labels come from the stored keys, because the history does not keep the field definitions.
    return [
        FieldChange(
            label=key.replace("_", " ").capitalize(),
            old=display_plain(old.get(key)),
            new=display_plain(new.get(key)),
        )
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


def _team_changes(kind: _Kind, before, after, names: dict, teams: dict) -> list[FieldChange]:
    if kind.key != "account":
        return []
    old, new = teams.get(before.history_id, frozenset()), teams.get(after.history_id, frozenset())
    if old == new:
        return []
    user_model = Account.team_members.field.related_model

    def _names(ids):
        return ", ".join(sorted(names.get((user_model, pk), f"#{pk}") for pk in ids)) or EMPTY

    return [FieldChange(label="Team members", old=_names(old), new=_names(new))]


def history_card_context(request, record: models.Model) -> dict:
    """Return the context of the History card on a record's page, paginated by ?history_page=."""
    from accountwise.core.context_processors import organisation

    currency = organisation(request)["organisation"].currency
    return {"history": history_page(record_sources(record), request.GET.get("history_page"), currency)}
