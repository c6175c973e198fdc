"""Forms of the import wizard: the upload, the file's settings, the columns, the stages, the start."""

from pathlib import Path

from django import forms
from django.conf import settings

from accountwise.core.forms import StyledFormMixin
from accountwise.opportunities.models import Stage
from accountwise.transfer.actions import CREATE_STAGE
from accountwise.transfer.mapping import (
    ACCOUNTS,
    CONTACTS,
    CONTRACTS,
    OPPORTUNITIES,
    REQUIRED_ONE_OF,
    ColumnMapping,
    field_specs,
)
from accountwise.transfer.models import ImportEntity
from accountwise.transfer.readers import DELIMITERS, ImportFileError, Table, read_table
from accountwise.transfer.references import read_references

DATE_FORMATS = [
    ("", "Detect automatically"),
    ("%d/%m/%Y", "Day/month/year: 31/12/2025"),
    ("%m/%d/%Y", "Month/day/year: 12/31/2025"),
    ("%d.%m.%Y", "Day.month.year: 31.12.2025"),
    ("%d-%m-%Y", "Day-month-year: 31-12-2025"),
    ("%d/%m/%y", "Day/month/two-digit year: 31/12/25"),
    ("%m/%d/%y", "Month/day/two-digit year: 12/31/25"),
]
ENCODINGS = [
    ("", "Detect"),
    ("utf-8", "UTF-8"),
    ("cp1252", "Windows Western European (cp1252)"),
    ("iso-8859-15", "Latin-9 (ISO 8859-15)"),
    ("cp1250", "Windows Central European (cp1250)"),
    ("cp1251", "Windows Cyrillic (cp1251)"),
    ("mac_roman", "Mac Roman"),
    ("utf-16", "UTF-16"),
    ("shift_jis", "Japanese (Shift JIS)"),
    ("gb18030", "Chinese (GB 18030)"),
]
DELIMITER_CHOICES = [("", "Detect"), *((character, name.capitalize()) for character, name in DELIMITERS.items())]
_MEGABYTE = 1024 * 1024
_SINGULAR = {ACCOUNTS: "account", CONTACTS: "contact", CONTRACTS: "contract", OPPORTUNITIES: "opportunity"}


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.1f} MB"


class UploadForm(StyledFormMixin, forms.Form):
    entity = forms.ChoiceField(label="What the file contains", choices=ImportEntity.choices, widget=forms.RadioSelect)
    file = forms.FileField(
        label="Spreadsheet file",
        error_messages={
            "required": "Choose the CSV or Excel file to import.",
            "empty": "The file you chose is empty (0 bytes). Export the data again and choose the new file.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
    )
    references = forms.FileField(
        label="Salesforce reference file (optional)",
        required=False,
        help_text="From a Salesforce data-tree export, the Accounts.json file, so that references such as "
                  "@AccountRef1 in the spreadsheet find their accounts.",
        error_messages={"empty": "The reference file you chose is empty (0 bytes); choose Accounts.json again."},
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table: Table | None = None
        self.fields["entity"].widget.attrs["class"] = "form-check-input"
        self.fields["file"].help_text = (
            f"CSV (any common encoding and delimiter) or Excel workbook (.xlsx), at most "
            f"{settings.IMPORT_MAX_UPLOAD_MB} MB. Exports from Salesforce and HubSpot work as they are."
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB * _MEGABYTE
        if upload.size > limit:
            raise forms.ValidationError(
                f"{upload.name} is {_megabytes(upload.size)}; the largest file you can import is "
                f"{settings.IMPORT_MAX_UPLOAD_MB} MB. Split it into smaller files, or leave out columns "
                "you do not need."
            )
        try:
            self.table = read_table(upload, Path(upload.name).name)
            # Counting reads every row once, so an unreadable row is reported now, not halfway.
            self.table.row_count
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    def clean_references(self):
        upload = self.cleaned_data.get("references")
        if not upload:
            return None
        if upload.size > settings.IMPORT_MAX_UPLOAD_MB * _MEGABYTE:
            raise forms.ValidationError(
                f"{upload.name} is {_megabytes(upload.size)}; the largest file is {settings.IMPORT_MAX_UPLOAD_MB} MB."
            )
        try:
            read_references(upload, Path(upload.name).name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class FileSettingsForm(StyledFormMixin, forms.Form):
    """How to read the file: which sheet of a workbook, or the encoding and delimiter of a CSV file."""

    sheet = forms.ChoiceField(label="Sheet", required=False)
    encoding = forms.ChoiceField(label="Encoding", choices=ENCODINGS, required=False)
    delimiter = forms.ChoiceField(label="Delimiter", choices=DELIMITER_CHOICES, required=False)

    def __init__(self, *args, table: Table, **kwargs):
        super().__init__(*args, **kwargs)
        if table.format == "XLSX":
            self.fields["sheet"].choices = [(name, name) for name in table.sheet_names]
            del self.fields["encoding"], self.fields["delimiter"]
        else:
            del self.fields["sheet"]

    @property
    def has_choices(self) -> bool:
        return "encoding" in self.fields or len(self.fields["sheet"].choices) > 1


class ColumnsForm(StyledFormMixin, forms.Form):
    """A field, or nothing, for every column of the file, and the options that decide how rows are read."""

    date_format = forms.ChoiceField(
        label="Dates", choices=DATE_FORMATS, required=False,
        help_text="ISO dates (2025-12-31), dates with month names and numeric dates that can be read only "
                  "one way are always understood. Choose the order for dates such as 03/04/2025, which could "
                  "be 3 April or 4 March.",
    )
    create_accounts = forms.BooleanField(
        label="Create the accounts that rows name but that do not exist yet", required=False,
    )
    create_owners = forms.BooleanField(
        label="Create a user for each owner who does not exist yet",
        required=False,
        help_text="The new users are members without a password: they cannot sign in until an "
                  "administrator sets one.",
    )

    def __init__(self, *args, mapping: ColumnMapping, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.entity = mapping.entity
        self.headers = mapping.headers
        specs = field_specs(mapping.entity)
        choices = [("", "Ignore this column"), *((spec.name, spec.label[:1].upper() + spec.label[1:]) for spec in specs)]
        fields_by_index = {index: name for name, index in mapping.columns.items()}
        self.column_names = []
        for index, header in enumerate(mapping.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=fields_by_index.get(index, ""),
            )
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm", "aria-label": f"Field for column {header}"})
            self.column_names.append(name)

        if self.entity == ACCOUNTS:
            del self.fields["create_accounts"]
        if not any(spec.name.endswith("_date") for spec in specs):
            del self.fields["date_format"]
        # Creating users is an administrator's decision.
        if not user.is_administrator or not any(spec.name == "owner" for spec in specs):
            del self.fields["create_owners"]

    @property
    def column_fields(self):
        return [self[name] for name in self.column_names]

    @property
    def option_fields(self):
        return [self[name] for name in self.fields if name not in self.column_names]

    def clean(self):
        cleaned = super().clean()
        labels = {spec.name: spec.label for spec in field_specs(self.entity)}
        first_column: dict[str, str] = {}
        for name, header in zip(self.column_names, self.headers):
            field_name = cleaned.get(name)
            if not field_name:
                continue
            if field_name in first_column:
                self.add_error(
                    name,
                    f'"{first_column[field_name]}" already feeds the {labels[field_name]}; '
                    "choose another field for this column or ignore it.",
                )
            first_column.setdefault(field_name, header)

        chosen = set(first_column)
        missing = [labels[spec.name] for spec in field_specs(self.entity) if spec.required and spec.name not in chosen]
        for names in REQUIRED_ONE_OF.get(self.entity, ()):
            if not chosen.intersection(names):
                missing.append(" or ".join(labels[name] for name in names))
        if missing:
            raise forms.ValidationError(
                f"Choose the column that holds the {', the '.join(missing)}: every "
                f"{_SINGULAR[self.entity]} needs {'it' if len(missing) == 1 else 'them'}."
            )
        return cleaned

    def mapping(self) -> dict[str, str | None]:
        return {header: self.cleaned_data.get(name) or None for name, header in zip(self.column_names, self.headers)}

    def options(self) -> dict:
        return {
            "date_format": self.cleaned_data.get("date_format", ""),
            "create_accounts": self.cleaned_data.get("create_accounts", False),
            "create_owners": self.cleaned_data.get("create_owners", False),
        }


class StagesForm(StyledFormMixin, forms.Form):
    """An existing stage, or a new open stage, for every stage name of the file that matches none."""

    def __init__(self, *args, unknown: dict[str, int], user, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = list(unknown)
        stages = [(stage.name, stage.name) for stage in Stage.objects.in_use()]
        choices = [("", "Choose a stage…")]
        # Stages belong to the administrators, who alone may add one.
        if user.is_administrator:
            choices.append((CREATE_STAGE, "Create it as a new open stage"))
        choices.append(("Existing stages", stages))
        for index, (name, count) in enumerate(unknown.items()):
            field = forms.ChoiceField(
                label=name, choices=choices, error_messages={"required": "Choose the stage it becomes."},
            )
            field.widget.attrs["class"] = "form-select"
            field.row_count = count
            self.fields[f"stage_{index}"] = field

    def choices(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"stage_{index}"] for index, name in enumerate(self.names)}


class StartForm(forms.Form):
    skip_invalid = forms.BooleanField(required=False)
