"""The active custom-field definitions of an entity, read once per request.

A list page needs the definitions for its filters, its columns and its cells;
caching them for the length of a request makes that one query. Outside a
request (commands, tests calling functions directly) nothing is cached.
"""

from asgiref.local import Local
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accountwise.customfields.models import CustomField

_state = Local()


def active_definitions(entity: str) -> list[CustomField]:
    """Return the entity's active definitions in their order; callers must not change them."""
    cache = getattr(_state, "cache", None)
    if cache is None:
        return _load(entity)
    if entity not in cache:
        cache[entity] = _load(entity)
    return cache[entity]


def request_cached(name: str, load):
    """Return load() cached under `name` for the current request, or None outside a request."""
    cache = getattr(_state, "cache", None)
    if cache is None:
        return None
    if name not in cache:
        cache[name] = load()
    return cache[name]


def _load(entity: str) -> list[CustomField]:
    return list(CustomField.objects.for_entity(entity).active().in_order())


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
