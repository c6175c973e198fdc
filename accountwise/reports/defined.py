"""Run an administrator-defined report: filter the records, group them, and measure each group in SQL.

The groupings and measures offered for each entity are listed here; the
definition form and the model's stored keys both come from these lists.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import django_filters
from django.db.models import Avg, Case, Count, F, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import QueryDict

from accountwise.accounts.access import parent_shared_condition
from accountwise.accounts.models import (
    AccountStatus,
    AccountType,
    Contact,
    ContactRole,
    DecisionPower,
    Sentiment,
)
from accountwise.contracts.models import Contract, ContractStatus
from accountwise.customfields.models import CustomField, FieldType
from accountwise.lib.money import quantize_money
from accountwise.opportunities.models import STAGE_KIND_STATUS, Opportunity, OpportunityStatus
from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.filters import custom_field_filters
from accountwise.portfolio.filters import (
    STATUS_ALL,
    AccountCriteriaFilterSet,
    AccountScopeFilter,
    ContractFilter,
    FilterForm,
    OpportunityFilter,
)
from accountwise.reports import figures
from accountwise.reports.models import ChartType, ReportEntity
from accountwise.reports.tables import TOTAL_LABEL, Table, TableColumn
from accountwise.transfer.export.columns import ColumnType
from accountwise.users.models import User

NO_VALUE = "No value"
# The group of parent accounts the reader may not open, in the account pages' wording.
NOT_SHARED = "Not shared with you"
CUSTOM_FIELD_PREFIX = "cf:"
ACCOUNT_CUSTOM_FIELD_PREFIX = "account_cf:"


@dataclass(frozen=True)
class Grouping:
    """One way to group records.

    `values` takes the user reading the report (None for every account) and
    maps aliases to expressions: "group_key" identifies the group, "group_name"
    names it and "group_order" (optional) sorts the groups. `name` turns a
    result row into the group's label.
    """

    key: str
    label: str
    values: Callable[[User | None], dict]
    name: Callable[[dict], str] = lambda row: _text(row["group_name"])


def _text(value) -> str:
    if value is None or value == "":
        return NO_VALUE
    return str(value)


def _choice(choices: dict) -> Callable[[dict], str]:
    return lambda row: choices.get(row["group_name"], _text(row["group_name"]))


def _user_name(row: dict) -> str:
    if row["group_key"] is None:
        return "No owner"
    full_name = f"{row['group_first_name'] or ''} {row['group_last_name'] or ''}".strip()
    return full_name or row["group_username"]


def _field(path: str, label: str, choices: dict | None = None) -> Grouping:
    key = path.replace("__", "_")
    return Grouping(
        key,
        label,
        lambda user: {"group_key": F(path), "group_name": F(path)},
        _choice(choices) if choices else (lambda row: _text(row["group_name"])),
    )


def _user(path: str, label: str) -> Grouping:
    return Grouping(
        path.replace("__", "_"),
        label,
        lambda user: {
            "group_key": F(path),
            "group_first_name": F(f"{path}__first_name"),
            "group_last_name": F(f"{path}__last_name"),
            "group_username": F(f"{path}__username"),
            "group_name": F(f"{path}__username"),
        },
        _user_name,
    )


def _month(path: str, key: str, label: str) -> Grouping:
    return Grouping(
        key,
        label,
        lambda user: {"group_key": TruncMonth(path), "group_name": TruncMonth(path), "group_order": TruncMonth(path)},
        lambda row: row["group_name"].strftime("%b %Y") if row["group_name"] else NO_VALUE
    )


def _year(path: str, key: str, label: str) -> Grouping:
    return Grouping(
        key,
        label,
        lambda user: {"group_key": ExtractYear(path), "group_name": ExtractYear(path), "group_order": ExtractYear(path)}
    )


def _account_groupings(related: bool) -> list[Grouping]:
    """Return the groupings by account fields: of the record's account, or of the account itself."""
    if not related:
        return [
            _field("type", "Type", dict(AccountType.choices)),
            _field("industry", "Industry"),
            _field("country", "Country"),
            _user("owner", "Owner"),
        ]
    return [
        # The records are on accounts the reader may see, so the account's name is always shown.
        Grouping("account", "Account", lambda user: {"group_key": F("account"), "group_name": F("account__name")}),
        _field("account__type", "Account type", dict(AccountType.choices)),
        _field("account__industry", "Account industry"),
        _field("account__country", "Account country"),
        _user("account__owner", "Account owner"),
    ]


_STATUS_OF_KIND = {kind: OpportunityStatus(status).label for kind, status in STAGE_KIND_STATUS.items()}


def _builtin_groupings(entity: str) -> list[Grouping]:
    if entity == ReportEntity.OPPORTUNITY:
        return [
            Grouping(
                "stage",
                "Stage",
                lambda user: {
                    "group_key": F("stage"), "group_name": F("stage__name"), "group_order": F("stage__position")
                },
            ),
            Grouping(
                "status",
                "Status",
                lambda user: {"group_key": F("stage__kind"), "group_name": F("stage__kind")},
                _choice(_STATUS_OF_KIND),
            ),
            _user("owner", "Owner"),
            _month("close_date", "close_month", "Close month"),
            _year("close_date", "close_year", "Close year"),
            *_account_groupings(related=True),
        ]
    if entity == ReportEntity.CONTRACT:
        return [
            _field("status", "Status", dict(ContractStatus.choices)),
            _user("owner", "Owner"),
            _month("end_date", "end_month", "End month"),
            _year("end_date", "end_year", "End year"),
            _month("start_date", "start_month", "Start month"),
            *_account_groupings(related=True),
        ]
    if entity == ReportEntity.CONTACT:
        return [
            _field("role", "Role", dict(ContactRole.choices)),
            _field("sentiment", "Sentiment", dict(Sentiment.choices)),
            _field("decision_power", "Decision power", dict(DecisionPower.choices)),
            Grouping(
                "is_key_player",
                "Key player",
                lambda user: {"group_key": F("is_key_player"), "group_name": F("is_key_player")},
                lambda row: "Key player" if row["group_name"] else "Other contact",
            ),
            _user("relationship_owner", "Relationship owner"),
            *_account_groupings(related=True),
        ]
    return [
        *_account_groupings(related=False),
        _field("status", "Status", dict(AccountStatus.choices)),
        Grouping("parent", "Parent account", _parent_values),
    ]


def _parent_values(user) -> dict:
    """Group accounts by parent, with the parents the user may not open in one group that names none of them."""
    shared = parent_shared_condition(user)
    return {
        "group_key": Case(When(shared, then=F("parent"))),
        "group_name": Case(When(shared, then=F("parent__name")), When(parent__isnull=False, then=Value(NOT_SHARED))),
        # Named parents first, then the ones not shared, then accounts without a parent.
        "group_order": Case(When(shared, then=Value(0)), When(parent__isnull=False, then=Value(1)), default=Value(2)),
    }


def _custom_field_grouping(custom_field: CustomField, key: str, column: str, label: str) -> Grouping:
    transform = lambda: KeyTextTransform(custom_field.key, column)  # noqa: E731
    name = lambda row: _text(row["group_name"])  # noqa: E731
    if custom_field.field_type == FieldType.BOOLEAN:
        # SQLite's JSON functions return true as 1 and PostgreSQL's ->> as "true".
        name = lambda row: {"true": "Yes", "1": "Yes", "false": "No", "0": "No"}.get(  # noqa: E731
            str(row["group_name"]).lower(), NO_VALUE
        )
    return Grouping(key, label, lambda user: {"group_key": transform(), "group_name": transform()}, name)


def groupings(entity: str, custom_fields: list[CustomField] | None = None) -> dict[str, Grouping]:
    """Return the entity's groupings by key: its fields, its account's fields and custom fields of both.

    `custom_fields` defaults to the active definitions of the entity and of
    accounts, read once per request.
    """
    if custom_fields is None:
        custom_fields = active_definitions(entity)
        if entity != ReportEntity.ACCOUNT:
            custom_fields = [*custom_fields, *active_definitions(ReportEntity.ACCOUNT)]
    options = {grouping.key: grouping for grouping in _builtin_groupings(entity)}
    for custom_field in custom_fields:
        if custom_field.entity == entity:
            key = f"{CUSTOM_FIELD_PREFIX}{custom_field.key}"
            options[key] = _custom_field_grouping(custom_field, key, "custom_fields", custom_field.label)
        elif custom_field.entity == ReportEntity.ACCOUNT and entity != ReportEntity.ACCOUNT:
            key = f"{ACCOUNT_CUSTOM_FIELD_PREFIX}{custom_field.key}"
            options[key] = _custom_field_grouping(
                custom_field, key, "account__custom_fields", f"Account {custom_field.label}"
            )
    return options


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    type: ColumnType
    entities: tuple[str, ...]
    expression: Callable[[], object]


_BUSINESS = (ReportEntity.CONTRACT, ReportEntity.OPPORTUNITY)
MEASURES = {
    measure.key: measure
    for measure in [
        Measure("count", "Count", ColumnType.INTEGER, tuple(ReportEntity.values), lambda: Count("pk")),
        Measure("total_value", "Total value", ColumnType.MONEY, _BUSINESS, figures.value_sum),
        Measure(
            "estimated_value", "Estimated value", ColumnType.MONEY, (ReportEntity.OPPORTUNITY,), figures.weighted_sum
        ),
        Measure("average_value", "Average value", ColumnType.MONEY, _BUSINESS, lambda: Avg("value")),
        Measure("win_rate", "Win rate", ColumnType.PERCENT, (ReportEntity.OPPORTUNITY,), figures.win_rate),
    ]
}


def measures_for(entity: str) -> list[Measure]:
    return [measure for measure in MEASURES.values() if entity in measure.entities]


def _measure_value(measure: Measure, value):
    """Turn a raw SQL figure into what the page and the export show."""
    if measure.key == "estimated_value":
        return figures.estimated_value(value)
    if measure.key == "win_rate":
        return figures.rounded_rate(value)
    if measure.type == ColumnType.MONEY:
        return None if value is None else quantize_money(value)
    return value


def _add_filters(filterset: django_filters.FilterSet, filters: dict) -> None:
    """Add filters built at run time, such as custom-field ones, to one filterset instance."""
    for name, extra in filters.items():
        extra = copy.deepcopy(extra)
        extra.parent = filterset
        filterset.filters[name] = extra


class ContactFilter(AccountCriteriaFilterSet):
    """Filter contacts by their account's criteria, key player, role and custom fields."""

    is_key_player = django_filters.BooleanFilter(label="Key player")
    role = django_filters.ChoiceFilter(choices=ContactRole.choices, label="Role", empty_label="Any role")

    class Meta:
        model = Contact
        fields = []
        form = FilterForm

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        _add_filters(self, custom_field_filters("contact"))
        account_filters = custom_field_filters("account", prefix="account__")
        _add_filters(self, {f"account_{name}": extra for name, extra in account_filters.items()})


FILTERSETS = {
    ReportEntity.ACCOUNT: AccountScopeFilter,
    ReportEntity.CONTRACT: ContractFilter,
    ReportEntity.OPPORTUNITY: OpportunityFilter,
    ReportEntity.CONTACT: ContactFilter,
}


def entity_records(entity: str, accounts: QuerySet) -> QuerySet:
    """Return the entity's records within the accounts, before the definition's filters."""
    if entity == ReportEntity.ACCOUNT:
        return accounts
    model = {
        ReportEntity.CONTRACT: Contract,
        ReportEntity.OPPORTUNITY: Opportunity,
        ReportEntity.CONTACT: Contact,
    }[entity]
    return model.objects.filter(account__in=accounts)


def filter_params(filters: dict) -> QueryDict:
    """Turn stored filters into the query dict a filterset reads, lists as repeated parameters."""
    params = QueryDict(mutable=True)
    for name, value in filters.items():
        if isinstance(value, list):
            params.setlist(name, [str(item) for item in value])
        else:
            params[name] = str(value)
    return params


def build_filterset(entity: str, filters: dict, queryset: QuerySet | None = None, prefix: str | None = None):
    """Return the entity's filterset over stored filters; with a prefix, its form's fields carry it."""
    if prefix:
        # The status select has no empty choice; "all" keeps it from showing the first status.
        if entity in (ReportEntity.CONTRACT, ReportEntity.OPPORTUNITY):
            filters = {"status": STATUS_ALL, **filters}
        filters = {f"{prefix}-{name}": value for name, value in filters.items()}
    filterset = FILTERSETS[entity](filter_params(filters), queryset=queryset, prefix=prefix)
    # A report orders its groups itself, and covers one account through its own ?account=,
    # so the lists' sort order and account choice (a select of every account) are not offered.
    filterset.filters.pop("sort", None)
    filterset.filters.pop("account", None)
    if "status" in filterset.filters:
        filterset.filters["status"].label = "Status"
    return filterset


@dataclass
class ReportResult:
    """A defined report's table: one row per group, then the totals over every filtered record."""

    grouping: Grouping
    measures: list[Measure]
    rows: list[tuple[str, list]] = field(default_factory=list)
    totals: list = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [self.grouping.label, *(measure.label for measure in self.measures)]


def stored_filters(definition) -> dict:
    """Return the saved filter's parameters overridden by the definition's own filters."""
    params = dict(definition.saved_filter.params) if definition.saved_filter_id else {}
    params.update(definition.filters)
    return params


def filtered_records(definition, accounts: QuerySet) -> QuerySet:
    """Return the definition's records within the accounts, filtered by its filter definition.

    The filterset leaves out an invalid stored filter (a choice since removed,
    say) rather than failing the report.
    """
    records = entity_records(definition.entity, accounts)
    filterset = build_filterset(definition.entity, stored_filters(definition), queryset=records)
    return filterset.qs.order_by()


def report_query(
    definition, accounts: QuerySet, options: dict[str, Grouping] | None = None, user: User | None = None
) -> QuerySet:
    """Return the report's main query for the user reading it: one row per group, with each measure."""
    options = options if options is not None else groupings(definition.entity)
    grouping = options[definition.group_by]
    measures = [MEASURES[key] for key in definition.measures]
    annotations = {f"measure_{measure.key}": measure.expression() for measure in measures}
    values = grouping.values(user)
    rows = filtered_records(definition, accounts).values(**values).annotate(**annotations)
    # Groups without a value come last on SQLite and PostgreSQL alike.
    order = ["group_order", "group_name", "group_key"] if "group_order" in values else ["group_name", "group_key"]
    return rows.order_by(*(F(alias).asc(nulls_last=True) for alias in order))


def run_report(
    definition, accounts: QuerySet, options: dict[str, Grouping] | None = None, user: User | None = None
) -> ReportResult:
    """Run the report in two queries, the groups and the totals.

    `options` are the entity's groupings, when the caller has them already.
    `user` reads the report, so a parent account they may not open is not
    named. Without a user, as in the benchmarks, every parent is named.
    """
    options = options if options is not None else groupings(definition.entity)
    grouping = options[definition.group_by]
    measures = [MEASURES[key] for key in definition.measures]
    result = ReportResult(grouping=grouping, measures=measures)

    for row in report_query(definition, accounts, options, user):
        values = [_measure_value(measure, row[f"measure_{measure.key}"]) for measure in measures]
        result.rows.append((grouping.name(row), values))
    if ":" in definition.group_by:
        _name_users(definition, result)

    totals = filtered_records(definition, accounts).aggregate(
        **{f"measure_{measure.key}": measure.expression() for measure in measures}
    )
    result.totals = [_measure_value(measure, totals[f"measure_{measure.key}"]) for measure in measures]
    return result


def _name_users(definition, result: ReportResult) -> None:
    """Replace user ids by names when the report groups by a custom field of type user, in one query."""
    key = definition.group_by.split(":", 1)[1]
    entity = ReportEntity.ACCOUNT if definition.group_by.startswith(ACCOUNT_CUSTOM_FIELD_PREFIX) else definition.entity
    is_user_field = CustomField.objects.filter(entity=entity, key=key, field_type=FieldType.USER).exists()
    if not is_user_field:
        return
    ids = [label for label, _ in result.rows if label.isdigit()]
    names = {str(user.pk): user.get_full_name() or user.username for user in User.objects.filter(pk__in=ids)}
    result.rows = [(names.get(label, label), values) for label, values in result.rows]


def result_table(definition, result: ReportResult) -> Table:
    """Return the report's table: a row per group, the totals row, and the chart the definition chose."""
    columns = [TableColumn(result.grouping.label)]
    columns += [TableColumn(measure.label, measure.type) for measure in result.measures]
    charted = range(1, len(columns))
    if definition.chart_type == ChartType.PIE:
        charted = range(1, 2)
    return Table(
        name="groups",
        title=_table_title(result),
        columns=columns,
        rows=[[label, *values] for label, values in result.rows],
        totals=[TOTAL_LABEL, *result.totals],
        chart="" if definition.chart_type == ChartType.TABLE else definition.chart_type,
        chart_columns=tuple(charted),
        empty_message="No records match this report's filters in the selected accounts.",
        description=definition.description,
    )


def _table_title(result: ReportResult) -> str:
    """Name the table by what it measures, such as "Count and total value by owner"."""
    labels = [measure.label.lower() for measure in result.measures]
    measured = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
    return f"{measured.capitalize()} by {result.grouping.label.lower()}"


def filter_summary(definition) -> list[tuple[str, str]]:
    """Return each stored filter as (label, value) for the page, in the filter definition's order."""
    filterset = build_filterset(definition.entity, definition.filters)
    summary = []
    for name, value in definition.filters.items():
        if value == STATUS_ALL:
            continue
        base = name.removesuffix("_min").removesuffix("_max").removesuffix("_after").removesuffix("_before")
        extra = filterset.filters.get(name) or filterset.filters.get(base)
        label = extra.label if extra is not None and extra.label else name
        if name != base:
            label = f"{label} ({'from' if name.endswith(('_min', '_after')) else 'to'})"
        text = ", ".join(value) if isinstance(value, list) else str(value)
        summary.append((str(label), text))
    return summary

