"""The Download menu that offers a list as an XLSX or CSV file."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from accountwise.transfer.export.writers import CSV, XLSX

register = template.Library()

_FORMAT_LABELS = {XLSX: "Excel workbook (.xlsx)", CSV: "CSV file (.csv)"}
_FORMAT_ICONS = {XLSX: "bi-file-earmark-spreadsheet", CSV: "bi-filetype-csv"}


@register.inclusion_tag("transfer/_download_menu.html", takes_context=True)
def download_menu(context, url_name: str, *args, keep_query: bool = False, query: str = "", **params):
    """Render a Download dropdown whose links export the list with its current filters.

    The export view named url_name receives args, then the file format. With
    keep_query the links carry the request's query string (without the page
    number, as every page is exported). Otherwise they carry query, a query
    string such as "contracts=active&c-cf_region=North". params add or replace
    parameters.
    """
    link_query = context["request"].GET.copy() if keep_query else QueryDict(query, mutable=True)
    link_query.pop("page", None)
    for key, value in params.items():
        link_query[key] = value
    suffix = f"?{link_query.urlencode()}" if link_query else ""

    links = [
        {
            "format": file_format,
            "label": _FORMAT_LABELS[file_format],
            "icon": _FORMAT_ICONS[file_format],
            "url": reverse(url_name, args=[*args, file_format]) + suffix,
        }
        for file_format in (XLSX, CSV)
    ]
    return {"links": links}


# The import wizard's steps: key, label, and the URL name of the page, if it has its own.
_IMPORT_STEPS = [
    ("upload", "Upload", None),
    ("columns", "Columns", "transfer:import-columns"),
    ("stages", "Stages", "transfer:import-stages"),
    ("preview", "Preview", "transfer:import-preview"),
    ("import", "Import", None),
]


@register.inclusion_tag("transfer/_import_steps.html")
def import_steps(current: str, run=None):
    """Render the wizard's steps, with links back to the steps already done while the run is a draft."""
    keys = [key for key, _, _ in _IMPORT_STEPS]
    entity = getattr(run, "entity", None)
    steps = []
    for key, label, url_name in _IMPORT_STEPS:
        if key == "stages" and entity != "opportunities":
            continue
        if keys.index(key) < keys.index(current) or getattr(run, "status", None) == "done":
            state = "done"
        elif key == current:
            state = "current"
        else:
            state = "todo"
        link = state == "done" and url_name and run is not None and run.status == "draft"
        steps.append({"label": label, "state": state, "url": reverse(url_name, args=[run.pk]) if link else ""})
    return {"steps": steps}
