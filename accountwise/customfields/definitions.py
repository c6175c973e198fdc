"""The active custom-field definitions, read once per request.

A list page needs the definitions for its filters, its columns and its cells,
often of two entities (a contract list filtered by account fields). The first
use in a request reads every entity's active definitions in one query and
keeps them until the request ends. Outside a request (commands, tests calling
functions directly) nothing is cached.
"""

from asgiref.local import Local
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accountwise.customfields.models import CustomField

_state = Local()
# The request cache's key for the definitions of every entity.
_DEFINITIONS = "definitions"


def active_definitions(entity: str) -> list[CustomField]:
    """Return the entity's active definitions in their order; callers must not change them."""
    cache = getattr(_state, "cache", None)
    if cache is None:
        return list(CustomField.objects.for_entity(entity).active().in_order())
    if _DEFINITIONS not in cache:
        cache[_DEFINITIONS] = _load_all()
    return cache[_DEFINITIONS].get(entity, [])


def request_cached(name: str, load):
    """Return load() cached under `name` for the current request, or None outside a request."""
    cache = getattr(_state, "cache", None)
    if cache is None:
        return None
    if name not in cache:
        cache[name] = load()
    return cache[name]


def _load_all() -> dict[str, list[CustomField]]:
    by_entity = {}
    for definition in CustomField.objects.active().in_order():
        by_entity.setdefault(definition.entity, []).append(definition)
    return by_entity


@receiver(request_started)
def _start_cache(**kwargs) -> None:
    _state.cache = {}


@receiver(request_finished)
def _end_cache(**kwargs) -> None:
    _state.cache = None


@receiver(post_save, sender=CustomField)
@receiver(post_delete, sender=CustomField)
def _forget_definitions(**kwargs) -> None:
    if getattr(_state, "cache", None) is not None:
        _state.cache = {}
