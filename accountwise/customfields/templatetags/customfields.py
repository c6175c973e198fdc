"""Tags that show custom-field values: {% load customfields %}."""

from django import forms, template

from accountwise.customfields.display import detail_rows, display_value
from accountwise.customfields.filters import custom_field_columns

register = template.Library()


def _currency(context) -> str:
    organisation = context.get("organisation")
    return organisation.currency if organisation else "USD"


@register.simple_tag(takes_context=True)
def custom_field_value(context, record, field):
    """Format one custom field of a record, for a list cell; "—" when it has no value."""
    return display_value(field, record.custom_fields, _currency(context))


@register.inclusion_tag("customfields/_values.html", takes_context=True)
def custom_field_values(context, record, entity: str, label_class="col-sm-4", value_class="col-sm-8"):
    """Show a record's custom fields as rows of a description list, retired fields left out."""
    return {
        "rows": detail_rows(entity, record.custom_fields, _currency(context)),
        "label_class": label_class,
        "value_class": value_class,
    }


@register.simple_tag
def custom_filter_fields(form) -> list:
    """Return the bound custom-field filters of a filterset's form, styled for Bootstrap."""
    bound_fields = []
    for name, field in form.fields.items():
        if not name.startswith("cf_"):
            continue
        widgets = getattr(field.widget, "widgets", [field.widget])
        for widget in widgets:
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if len(widgets) > 1:
            widgets[0].attrs.setdefault("placeholder", "From")
            widgets[1].attrs.setdefault("placeholder", "To")
        bound_fields.append(form[name])
    return bound_fields


@register.simple_tag
def custom_columns(entity: str) -> list:
    """Return the entity's custom fields shown as list columns; one query per request."""
    return custom_field_columns(entity)
