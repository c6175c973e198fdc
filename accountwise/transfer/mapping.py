"""Match a file's columns to the fields of accounts, contacts, contracts and opportunities.

Headers match case-, space- and punctuation-insensitively against each field's
synonyms, which include the headers of Salesforce and HubSpot exports (for
example Salesforce's "AccountId", "StageName" and "CloseDate", HubSpot's
"Associated Company" and "Deal Stage"). The person importing can override any
match or ignore a column.
"""

from dataclasses import dataclass, field

from accountwise.customfields.imports import custom_field_specs

ACCOUNTS = "accounts"
CONTACTS = "contacts"
CONTRACTS = "contracts"
OPPORTUNITIES = "opportunities"
ENTITIES = (ACCOUNTS, CONTACTS, CONTRACTS, OPPORTUNITIES)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    # Normalised headers, best first: when several columns match a field, the
    # one with the earliest synonym wins.
    synonyms: tuple[str, ...]
    required: bool = False
    # The definition of a custom field ("cf_<key>"); None for a built-in field.
    custom_field: object = field(default=None, compare=False)


def normalize_header(header: str) -> str:
    """Return the header's letters and digits in lower case: "Account_Name " becomes "accountname"."""
    return "".join(char for char in header.casefold() if char.isalnum())


def _spec(name: str, label: str, *synonyms: str, required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, tuple(normalize_header(s) for s in synonyms), required)


def _custom_spec(custom_field, name: str, *synonyms: str) -> FieldSpec:
    # Required custom fields are checked per row when their column is mapped; files
    # from other systems rarely hold them, so a missing column is not an error.
    return FieldSpec(name, custom_field.label, tuple(normalize_header(s) for s in synonyms), False, custom_field)


# The account a contact, contract or opportunity belongs to: its name, its
# external id, or a Salesforce data-tree reference such as @AccountRef1.
_ACCOUNT_SYNONYMS = (
    "account", "account name", "company", "company name", "associated company",
    "associated company primary", "account id", "organization", "organisation",
)

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    ACCOUNTS: (
        _spec("name", "account name", "name", "account name", "account", "company name", "company",
              "organization name", "organisation name", "organization", "organisation",
              required=True),
        _spec("industry", "industry", "industry", "sector"),
        _spec("country", "country", "country", "billing country", "country/region",
              "office location", "shipping country"),
        _spec("parent", "parent account", "parent", "parent account", "parent account name",
              "parent company", "subsidiary of", "parent id"),
        _spec("website", "website", "website", "website url", "company domain name", "domain",
              "url", "web"),
        _spec("type", "account type", "type", "account type"),
        _spec("status", "status", "status", "account status"),
        _spec("description", "description", "description", "about", "about us"),
        _spec("owner", "owner", "owner", "account owner", "company owner", "owner name",
              "sales agent", "opportunity owner", "deal owner"),
        _spec("external_id", "external id", "external id", "account id", "record id", "id"),
    ),
    CONTACTS: (
        _spec("first_name", "first name", "first name", "given name", "first"),
        _spec("last_name", "last name", "last name", "surname", "family name", "last"),
        _spec("full_name", "full name", "name", "full name", "contact name", "contact"),
        _spec("account", "account", *_ACCOUNT_SYNONYMS, required=True),
        _spec("job_title", "job title", "job title", "title", "position"),
        _spec("email", "email", "email", "email address", "work email"),
        _spec("phone", "phone", "phone", "phone number", "business phone", "work phone",
              "mobile", "mobile phone", "mobile phone number"),
        _spec("key_player", "key player", "key player", "is key player"),
        _spec("role", "role", "role", "contact role", "buying role"),
        _spec("reports_to", "reports to", "reports to", "manager"),
        _spec("external_id", "external id", "external id", "contact id", "record id", "id"),
    ),
    CONTRACTS: (
        _spec("name", "contract name", "name", "contract name", "contract", "contract title",
              required=True),
        _spec("account", "account", *_ACCOUNT_SYNONYMS, required=True),
        _spec("value", "value", "value", "amount", "contract value", "total contract value"),
        _spec("start_date", "start date", "start date", "contract start date", "effective date"),
        _spec("end_date", "end date", "end date", "contract end date", "expiration date", "expiry date"),
        _spec("status", "status", "status", "contract status"),
        _spec("description", "description", "description"),
        _spec("owner", "owner", "owner", "contract owner", "account owner"),
        _spec("external_id", "external id", "external id", "contract id", "contract number",
              "record id", "id"),
    ),
    OPPORTUNITIES: (
        _spec("name", "opportunity name", "name", "opportunity name", "opportunity",
              "deal name", "deal", required=True),
        _spec("account", "account", *_ACCOUNT_SYNONYMS, required=True),
        _spec("stage", "stage", "stage", "stage name", "deal stage", required=True),
        _spec("value", "value", "value", "amount", "close value", "deal value", required=True),
        _spec("close_date", "close date", "close date", "expected close date", required=True),
        _spec("owner", "owner", "owner", "opportunity owner", "deal owner", "sales agent",
              "account owner"),
        _spec("external_id", "external id", "external id", "opportunity id", "deal id",
              "record id", "id"),
        _spec("description", "description", "description"),
    ),
}

def field_specs(entity: str) -> tuple[FieldSpec, ...]:
    """Return the entity's fields: the built-in ones, then its active custom fields ("cf_<key>")."""
    return FIELDS[entity] + custom_field_specs(entity, _custom_spec)


# Fields of which at least one must have a column, beside the required ones.
REQUIRED_ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {
    CONTACTS: (("last_name", "full_name"),),
}


class MappingError(ValueError):
    """Columns that cannot be matched as requested; the message names the fix."""


@dataclass(frozen=True)
class IgnoredColumn:
    header: str
    reason: str


@dataclass
class ColumnMapping:
    """The column, by index into the table's headers, that feeds each field."""

    entity: str
    headers: list[str]
    columns: dict[str, int]
    ignored: list[IgnoredColumn] = field(default_factory=list)
    # The fields the columns were matched against, custom fields included, read once.
    specs: tuple[FieldSpec, ...] = ()

    def __contains__(self, field_name: str) -> bool:
        return field_name in self.columns

    def header(self, field_name: str) -> str:
        return self.headers[self.columns[field_name]]

    def spec(self, field_name: str) -> FieldSpec:
        return next(spec for spec in self.specs or field_specs(self.entity) if spec.name == field_name)


def field_names(entity: str) -> list[str]:
    # Built-in fields only: the import command lists them in its help, before any database is read.
    return [spec.name for spec in FIELDS[entity]]


def map_columns(headers: list[str], entity: str, overrides: dict[str, str | None] | None = None) -> ColumnMapping:
    """Match headers to fields, applying overrides of the form {column: field or None to ignore}.

    Raise MappingError for an override naming a missing column or field, and
    when a required field has no column.
    """
    mapping = match_columns(headers, entity, overrides)
    _check_required(mapping)
    return mapping


def match_columns(headers: list[str], entity: str, overrides: dict[str, str | None] | None = None) -> ColumnMapping:
    """Match headers to fields as map_columns does, but accept a mapping that lacks required fields.

    The import wizard starts from this guess and lets the person complete it.
    """
    specs = field_specs(entity)
    keys = [normalize_header(header) for header in headers]
    explicit = _resolve_overrides(headers, keys, entity, overrides or {}, specs)

    columns: dict[str, int] = {name: index for index, name in explicit.items() if name}
    ignored: list[IgnoredColumn] = []
    candidates: dict[str, list[tuple[int, int]]] = {}
    for index, key in enumerate(keys):
        if index in explicit:
            if explicit[index] is None:
                ignored.append(IgnoredColumn(headers[index], "ignored as requested"))
            continue
        spec = next((spec for spec in specs if key in spec.synonyms), None)
        if spec is None:
            ignored.append(IgnoredColumn(headers[index], "matches no field"))
            continue
        candidates.setdefault(spec.name, []).append((spec.synonyms.index(key), index))

    for name, ranked in candidates.items():
        for _, index in sorted(ranked):
            if name in columns:
                used = headers[columns[name]]
                ignored.append(IgnoredColumn(headers[index], f'{name} comes from column "{used}"'))
            else:
                columns[name] = index

    ignored.sort(key=lambda column: headers.index(column.header))
    return ColumnMapping(entity, list(headers), columns, ignored, specs)


def parse_map_option(text: str) -> tuple[str, str | None]:
    """Split "column=field" into its parts; "column=" ignores the column."""
    column, separator, field_name = text.rpartition("=")
    if not separator or not column.strip():
        raise MappingError(f'"{text}" is not of the form COLUMN=FIELD (or COLUMN= to ignore the column)')
    return column.strip(), field_name.strip() or None


def _resolve_overrides(headers, keys, entity, overrides, specs) -> dict[int, str | None]:
    resolved: dict[int, str | None] = {}
    for column, target in overrides.items():
        index = _find_column(headers, keys, column)
        if target is None:
            resolved[index] = None
            continue

        target_key = normalize_header(target)
        spec = next((s for s in specs if normalize_header(s.name) == target_key), None)
        spec = spec or next((s for s in specs if target_key in s.synonyms), None)
        if spec is None:
            raise MappingError(
                f'"{target}" is not a field of {entity}; the fields are {", ".join(s.name for s in specs)}'
            )
        if spec.name in resolved.values():
            raise MappingError(f"two columns are mapped to {spec.name}; map each field once")
        resolved[index] = spec.name
    return resolved


def _find_column(headers, keys, column: str) -> int:
    if column in headers:
        return headers.index(column)
    key = normalize_header(column)
    if key in keys:
        return keys.index(key)
    raise MappingError(f'the file has no column "{column}"; its columns are {", ".join(headers)}')


def missing_fields(mapping: ColumnMapping) -> list[tuple[FieldSpec, ...]]:
    """Return the required fields without a column; each entry lists the fields that would each do."""
    specs = {spec.name: spec for spec in mapping.specs or field_specs(mapping.entity)}
    missing = [(spec,) for spec in specs.values() if spec.required and spec.name not in mapping.columns]
    for names in REQUIRED_ONE_OF.get(mapping.entity, ()):
        if not any(name in mapping.columns for name in names):
            missing.append(tuple(specs[name] for name in names))
    return missing


def _check_required(mapping: ColumnMapping) -> None:
    for choices in missing_fields(mapping):
        labels = " or ".join(f"the {spec.label}" for spec in choices)
        names = " or ".join(f"COLUMN={spec.name}" for spec in choices)
        raise MappingError(
            f"the file has no column for {labels}; its columns are {', '.join(mapping.headers)}. "
            f"Name the column that contains it, as {names}"
        )
