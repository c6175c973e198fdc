from itertools import count

from accountwise.customfields.models import CustomField

_sequence = count(1)


def make_custom_field(entity: str = "account", field_type: str = "text", key: str | None = None, **fields) -> CustomField:
    number = next(_sequence)
    key = key or f"field_{number}"
    fields.setdefault("label", key.replace("_", " ").capitalize())
    fields.setdefault("position", number)
    return CustomField.objects.create(entity=entity, key=key, field_type=field_type, **fields)
