"""Detect concurrent edits in the browser: the second save of a record reports that the record changed.

An edit form carries the version of the record it was opened on (updated_at to
the microsecond, as the API's ETag). The save runs only if the stored record
still has that version; otherwise the form is shown again with the other
person's values beside the user's, and nothing the user typed is lost.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from django import forms
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from accountwise.core.values import display_form_value

VERSION_FIELD = "version"
# The "Save my version anyway" button posts the version the user has now seen under this name.
OVERWRITE_FIELD = "overwrite_version"

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
T = TypeVar("T")


def version_of(obj) -> str:
    """Return the version of a saved record: its updated_at in microseconds since 1970."""
    return str((obj.updated_at - _EPOCH) // datetime.timedelta(microseconds=1))


def _parse_version(text: str) -> datetime.datetime | None:
    if not text or not text.isdigit():
        return None
    return _EPOCH + datetime.timedelta(microseconds=int(text))


@dataclass
class FieldConflict:
    label: str
    theirs: str
    yours: str


@dataclass
class EditConflict(Exception):
    """Raised when the record changed since the form was opened; `stored` is the record as saved now."""

    stored: Any

    def __post_init__(self):
        super().__init__(f"{type(self.stored).__name__} {self.stored.pk} changed since the form was opened.")


class VersionedFormMixin:
    """Add a hidden version field to a model form and describe a conflict when the record changed.

    Views save through save_unless_changed() and, on EditConflict, call
    show_conflict() and render the form again. core/_form_fields.html shows
    the conflict above the fields; other templates include core/_edit_conflict.html.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[VERSION_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)
        if self.instance.pk is not None:
            self.initial[VERSION_FIELD] = version_of(self.instance)
        self.conflict = None

    @property
    def expected_version(self) -> str:
        """Return the version the user saw last: the one accepted by "Save my version anyway", else the form's."""
        return self.data.get(OVERWRITE_FIELD) or self.data.get(VERSION_FIELD) or ""

    def show_conflict(self, stored) -> None:
        """Describe how the stored record differs from what the user typed, for the template."""
        last_change = stored.history.select_related("history_user").first()
        self.conflict = {
            "changed_by": last_change.history_user if last_change else None,
            "changed_at": stored.updated_at,
            "version": version_of(stored),
            "fields": self._differing_fields(stored),
        }

    def _differing_fields(self, stored) -> list[FieldConflict]:
        names = [name for name in self.fields if name != VERSION_FIELD and name in self.cleaned_data]
        stored_values = model_to_dict(stored, fields=names)
        differing = []
        for name in names:
            if name not in stored_values:
                continue
            field = self.fields[name]
            theirs, yours = stored_values[name], self.cleaned_data[name]
            if _comparable(theirs) == _comparable(yours):
                continue
            differing.append(FieldConflict(
                label=str(field.label or name.replace("_", " ").capitalize()),
                theirs=display_form_value(field, theirs),
                yours=display_form_value(field, yours),
            ))
        return differing


def _comparable(value):
    """Reduce a model or form value to something == compares: primary keys for related objects."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):
        return frozenset(_comparable(item) for item in value)
    if value == "":
        return None
    return value


def save_unless_changed(form: VersionedFormMixin, save: Callable[[], T]) -> T:
    """Run `save` if the form's record is still at the version the form was opened on.

    The check claims the row with a conditional UPDATE of updated_at in the same
    transaction as the save, so of two concurrent saves of one version only the
    first wins, on SQLite and PostgreSQL alike; the second raises EditConflict.
    An exception from `save` rolls the claim back with the rest.
    """
    instance = form.instance
    # As with an API write without If-Match, a post without a version (from a script,
    # not from the rendered form, which always has one) is saved unchecked.
    if instance.pk is None or VERSION_FIELD not in form.data:
        return save()

    model = type(instance)
    seen = _parse_version(form.expected_version)
    with transaction.atomic():
        claimed = seen is not None and model._base_manager.filter(pk=instance.pk, updated_at=seen).update(
            updated_at=timezone.now()
        )
        if not claimed:
            raise EditConflict(model._base_manager.get(pk=instance.pk))
        return save()


def save_or_show_conflict(form: VersionedFormMixin, save: Callable[[], Any]) -> bool:
    """Save through save_unless_changed(); on a conflict, describe it on the form and return False.

    `save` returns False when it put a validation error on the form instead of
    saving; then the transaction is rolled back and this returns False too.
    """

    def save_or_roll_back():
        if save() is False:
            raise _SaveFailed

    try:
        save_unless_changed(form, save_or_roll_back)
    except _SaveFailed:
        return False
    except EditConflict as conflict:
        form.show_conflict(conflict.stored)
        return False
    return True


class _SaveFailed(Exception):
    pass
