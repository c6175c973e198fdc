"""Custom fields in spreadsheet imports: columns to map and cells to parse.

A column maps to a custom field by the field's label, its key or "cf_<key>",
ignoring case, spaces and punctuation. Cells parse with the rules of the
form fields (accountwise.customfields.values), so an import accepts what the
edit form accepts and stores it in the same shape.
"""

from django.core.exceptions import ValidationError

from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.values import ValueParser

FIELD_PREFIX = "cf_"
# The import's entity names, plural, and the custom-field entities.
_ENTITIES = {"accounts": "account", "contacts": "contact", "contracts": "contract", "opportunities": "opportunity"}


def custom_field_specs(import_entity: str, make_spec) -> tuple:
    """Return a mapping spec per active custom field, built with make_spec(field, name, *synonyms)."""
    entity = _ENTITIES[import_entity]
    return tuple(
        make_spec(field, FIELD_PREFIX + field.key, field.label, field.key, FIELD_PREFIX + field.key)
        for field in active_definitions(entity)
    )


class CustomFieldCells:
    """Read the mapped custom-field cells of rows and merge them into a record's stored values.

    read() puts the row's values, by key, in draft values under "custom_fields";
    merge() turns them into the record's whole custom_fields once the row is
    matched to an existing record, so values of columns not in the file stay.
    An empty cell clears the value, as it does for the built-in fields.
    """

    def __init__(self, mapping, invalid_value: type[Exception]):
        self.fields = [
            spec.custom_field for spec in mapping.specs if spec.custom_field is not None and spec.name in mapping
        ]
        self._parser = ValueParser()
        self._invalid_value = invalid_value

    def read(self, cells, values: dict) -> None:
        if not self.fields:
            return
        read = {}
        for field in self.fields:
            name = FIELD_PREFIX + field.key
            read[field.key] = cells.parse(name, lambda raw, field=field: self._parse(field, raw), required=field.required)
        values["custom_fields"] = read

    def merge(self, values: dict, record) -> None:
        if "custom_fields" not in values:
            return
        merged = dict(record.custom_fields or {}) if record is not None else {}
        for key, value in values["custom_fields"].items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        values["custom_fields"] = merged

    def _parse(self, field, raw):
        try:
            return self._parser.parse(field, raw)
        except ValidationError as error:
            raise self._invalid_value(" ".join(error.messages)) from error
