import re

from django import forms
from django.db.models import JSONField
from django.db.models.functions import Lower

from accountwise.core.forms import StyledFormMixin
from accountwise.customfields.definitions import active_definitions
from accountwise.customfields.models import (
    CHOICE_TYPES,
    KEY_MAX_LENGTH,
    KEY_PATTERN,
    CustomField,
    FieldType,
)
from accountwise.customfields.values import MULTIPLE_CHOICE_SEPARATOR, form_field, to_form_value, to_stored

FORM_PREFIX = "cf_"
# Choices are typed one per line; these characters would break spreadsheets or stored lists.
_FORBIDDEN_IN_CHOICE = (MULTIPLE_CHOICE_SEPARATOR, '"', "\\")
CHOICE_MAX_LENGTH = 100


class CustomFieldFormMixin:
    """Add the entity's active custom fields to a model form and save them into custom_fields.

    Set `custom_field_entity` on the form. Values of fields that are retired, or
    not on the form for another reason, stay as they are.
    """

    custom_field_entity: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = self.instance.custom_fields or {}
        self.custom_field_definitions = active_definitions(self.custom_field_entity)
        for definition in self.custom_field_definitions:
            value = stored.get(definition.key)
            keep_user_pk = value if definition.field_type == FieldType.USER and isinstance(value, int) else None
            name = FORM_PREFIX + definition.key
            self.fields[name] = form_field(definition, keep_user_pk=keep_user_pk)
            if name not in self.initial and value is not None:
                self.initial[name] = to_form_value(definition, value)

    def _post_clean(self):
        super()._post_clean()
        values = dict(self.instance.custom_fields or {})
        for definition in self.custom_field_definitions:
            name = FORM_PREFIX + definition.key
            if name not in self.cleaned_data:
                continue
            stored = to_stored(definition, self.cleaned_data[name])
            if stored is None:
                values.pop(definition.key, None)
            else:
                values[definition.key] = stored
        self.instance.custom_fields = values

    def custom_field_bound_fields(self) -> list:
        return [self[FORM_PREFIX + definition.key] for definition in self.custom_field_definitions]


class CustomFieldDefinitionForm(StyledFormMixin, forms.ModelForm):
    """Define or change a custom field. The key and the entity are fixed once the field exists."""

    choices_text = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For single and multiple choice fields: one option per line, in the order shown.",
    )

    field_order = [
        "entity", "label", "key", "field_type", "choices_text", "required", "help_text",
        "show_in_list", "filterable",
    ]

    class Meta:
        model = CustomField
        fields = [
            "entity", "label", "key", "field_type", "required", "help_text", "show_in_list", "filterable",
        ]
        labels = {"entity": "Record", "help_text": "Help text"}
        help_texts = {"help_text": "Shown below the field in forms."}
        error_messages = {
            "label": {"required": "Enter a label, the name people see."},
            "field_type": {"required": "Choose a type."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False
        self.fields["key"].help_text = (
            "The name imports, filters (cf_<key>) and the API use. Lower-case letters, digits "
            "and single underscores. Left empty, it is made from the label. It cannot change later."
        )
        if self.instance.pk:
            self.fields["entity"].disabled = True
            self.fields["key"].disabled = True
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        entity = self.cleaned_data.get("entity") or self.instance.entity
        others = CustomField.objects.filter(entity=entity).exclude(pk=self.instance.pk)
        if others.annotate(lower=Lower("label")).filter(lower=label.lower()).exists():
            raise forms.ValidationError(
                f"Another field on these records is labelled {label}. Choose a different label."
            )
        return label

    def clean_key(self) -> str:
        if self.instance.pk:
            return self.instance.key
        key = self.cleaned_data.get("key", "").strip()
        if not key:
            key = re.sub(r"[^a-z0-9]+", "_", self.cleaned_data.get("label", "").lower()).strip("_")
            if key and not key[0].isalpha():
                key = f"field_{key}"
        if not re.fullmatch(KEY_PATTERN, key) or len(key) > KEY_MAX_LENGTH:
            raise forms.ValidationError(
                f"Enter a key of at most {KEY_MAX_LENGTH} characters: lower-case letters, digits and "
                "single underscores, starting with a letter, such as annual_budget."
            )
        if key in JSONField.get_lookups():
            # custom_fields__<key> would read as that lookup instead of the key.
            raise forms.ValidationError(f"The key {key} is a reserved word in database lookups; choose another key.")
        if CustomField.objects.filter(entity=self.cleaned_data.get("entity"), key=key).exists():
            raise forms.ValidationError(f"A field with the key {key} already exists on these records; choose another key.")
        return key

    def clean_choices_text(self) -> list[str]:
        choices = []
        for line in self.cleaned_data["choices_text"].splitlines():
            choice = line.strip()
            if not choice:
                continue
            if any(character in choice for character in _FORBIDDEN_IN_CHOICE):
                raise forms.ValidationError(
                    f"The choice {choice} contains a semicolon, quote or backslash; remove it."
                )
            if len(choice) > CHOICE_MAX_LENGTH:
                raise forms.ValidationError(f"Shorten the choice {choice[:20]}… to at most {CHOICE_MAX_LENGTH} characters.")
            if choice in choices:
                raise forms.ValidationError(f"The choice {choice} is listed twice; keep it once.")
            choices.append(choice)
        return choices

    def clean(self):
        cleaned = super().clean()
        field_type = cleaned.get("field_type")
        choices = cleaned.get("choices_text") or []
        if field_type in CHOICE_TYPES and not choices:
            self.add_error("choices_text", "Enter at least one choice, one per line.")
        if field_type and field_type not in CHOICE_TYPES:
            choices = []
        self.instance.choices = choices
        return cleaned
