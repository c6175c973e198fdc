"""Resolve Salesforce data-tree references such as @AccountRef1 to the accounts they stand for.

`sf data export tree` writes one JSON file per object. Each record carries
attributes.referenceId, and records of other objects point at it as
"@<referenceId>": a contact's AccountId is "@AccountRef1" where the account's
record has "referenceId": "AccountRef1". Accountwise resolves such a cell to
the name of the account in the Accounts.json file of the same export, then
finds the account by that name.
"""

import json
from pathlib import Path
from typing import BinaryIO

from accountwise.transfer.parsing import InvalidValue
from accountwise.transfer.readers import ImportFileError

REFERENCE_MARK = "@"
_ACCOUNT_TYPE = "account"


def is_reference(text: str) -> bool:
    return text.startswith(REFERENCE_MARK) and len(text) > 1 and not any(char.isspace() for char in text)


class AccountReferences:
    """Account names by data-tree reference id, as read from one Accounts.json file."""

    def __init__(self, names: dict[str, str], filename: str):
        self.names = names
        self.filename = filename

    def __len__(self) -> int:
        return len(self.names)

    def account_name(self, text: str) -> str:
        """Return the name of the account that a reference such as "@AccountRef1" stands for.

        Raise InvalidValue when the file has no record with that reference id.
        """
        name = self.names.get(text.removeprefix(REFERENCE_MARK))
        if name is None:
            raise InvalidValue(
                f'"{text}" is not a reference in {self.filename}; '
                "use the Accounts.json file of the same Salesforce export"
            )
        return name


def unresolved_reference_message(text: str) -> str:
    return (
        f'"{text}" is a Salesforce data-tree reference; import with the Accounts.json file of '
        "the same export as the reference file, so that it resolves to an account"
    )


def read_references(source: Path | str | BinaryIO, filename: str | None = None) -> AccountReferences:
    """Read the account records of a data-tree JSON file.

    Raise ImportFileError when the file is not such a file, or when a record
    lacks its reference id or name.
    """
    data, filename = _read(source, filename)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(
            f"{filename} is not a JSON file ({error}); choose the Accounts.json file of the Salesforce data export."
        ) from None

    records = document.get("records") if isinstance(document, dict) else None
    if not isinstance(records, list) or not records:
        raise ImportFileError(
            f'{filename} has no "records" list; choose the Accounts.json file that '
            "sf data export tree wrote."
        )

    names = {}
    for number, record in enumerate(records, start=1):
        reference, name = _reference_and_name(record, number, filename)
        names[reference] = name
    return AccountReferences(names, filename)


def _read(source, filename: str | None) -> tuple[bytes, str]:
    if hasattr(source, "read"):
        return source.read(), filename or getattr(source, "name", "the reference file")
    path = Path(source)
    try:
        return path.read_bytes(), filename or path.name
    except OSError as error:
        raise ImportFileError(f"{path} could not be read ({error.strerror}); check the path of the reference file.") from None


def _reference_and_name(record, number: int, filename: str) -> tuple[str, str]:
    attributes = record.get("attributes") if isinstance(record, dict) else None
    if not isinstance(attributes, dict) or not attributes.get("referenceId"):
        raise ImportFileError(f"record {number} in {filename} has no attributes.referenceId; it is not a data-tree file.")

    record_type = str(attributes.get("type", _ACCOUNT_TYPE))
    if record_type.casefold() != _ACCOUNT_TYPE:
        raise ImportFileError(
            f"{filename} contains {record_type} records, not accounts; choose the Accounts.json file of the export."
        )

    # Salesforce writes field names as the export query spelled them: Name, name or NAME.
    name = next((value for key, value in record.items() if key.casefold() == "name"), None)
    if not isinstance(name, str) or not name.strip():
        raise ImportFileError(f"record {number} in {filename} has no account name.")
    return str(attributes["referenceId"]), name.strip()
