from django import forms
from django.db.models.functions import Lower

from accountwise.core.forms import StyledFormMixin
from accountwise.portfolio.models import SavedFilter
from accountwise.reports import defined
from accountwise.reports.models import ChartType, ReportDefinition, ReportEntity

# Entity of saved filters (plural names) for each report entity; contacts have no saved filters.
SAVED_FILTER_ENTITIES = {
    ReportEntity.ACCOUNT: "accounts",
    ReportEntity.CONTRACT: "contracts",
    ReportEntity.OPPORTUNITY: "opportunities",
}
FILTER_PREFIX = "filter"


class ReportDefinitionForm(StyledFormMixin, forms.ModelForm):
    """A report definition for one entity; the entity's filter form is validated beside it."""

    measures = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        help_text="The figures of each group, as table columns; the chart draws them too.",
    )

    class Meta:
        model = ReportDefinition
        fields = ["name", "description", "saved_filter", "group_by", "measures", "chart_type", "visibility", "position"]
        widgets = {"group_by": forms.Select, "chart_type": forms.Select, "visibility": forms.Select}
        help_texts = {
            "description": "One line under the report's title: what it shows and for whom.",
            "saved_filter": "A shared saved filter the report starts from; the filters below narrow it further.",
            "visibility": "Where the report appears in the reports menu.",
            "position": "Reports are listed by this number, then by name.",
        }

    def __init__(self, *args, entity: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.entity = entity
        self.groupings = defined.groupings(entity)
        self.fields["group_by"] = forms.ChoiceField(
            label="Group by",
            choices=[("", "Choose a field")] + [(key, grouping.label) for key, grouping in self.groupings.items()],
            help_text="Each value of this field is one row of the table and one bar, point or slice of the chart.",
            widget=forms.Select(attrs={"class": "form-select"}),
        )
        self.fields["measures"].choices = [(m.key, m.label) for m in defined.measures_for(entity)]
        saved_filters = SavedFilter.objects.filter(
            is_shared=True, entity=SAVED_FILTER_ENTITIES.get(entity, "")
        ).order_by(Lower("name"))
        self.fields["saved_filter"].queryset = saved_filters
        self.fields["saved_filter"].empty_label = "None: all records"
        if entity not in SAVED_FILTER_ENTITIES:
            del self.fields["saved_filter"]

    def clean_measures(self) -> list[str]:
        chosen = self.cleaned_data["measures"]
        # Keep the order of the measure list, whatever order the browser sent.
        return [measure.key for measure in defined.measures_for(self.entity) if measure.key in chosen]

    def clean(self):
        cleaned = super().clean()
        measures = cleaned.get("measures") or []
        if cleaned.get("chart_type") == ChartType.PIE:
            if len(measures) > 1:
                self.add_error(
                    "chart_type",
                    "A pie chart shows one measure; keep one measure or choose a bar or line chart.",
                )
            elif measures == ["win_rate"] or measures == ["average_value"]:
                label = defined.MEASURES[measures[0]].label.lower()
                self.add_error(
                    "chart_type",
                    f"A pie chart shows parts of a whole, and the {label} of each group is not one; "
                    "choose a bar chart or a count or sum measure.",
                )
        return cleaned

    def save(self, commit: bool = True) -> ReportDefinition:
        definition = super().save(commit=False)
        definition.entity = self.entity
        if commit:
            definition.save()
        return definition


def filter_form_params(data) -> dict:
    """Return the submitted filters of the definition form, without prefix, empty values left out.

    A repeated parameter, such as a multiple choice, is kept as a list.
    """
    params = {}
    prefix = f"{FILTER_PREFIX}-"
    for key in data:
        if not key.startswith(prefix):
            continue
        values = [value for value in data.getlist(key) if value.strip()]
        if not values:
            continue
        params[key.removeprefix(prefix)] = values if len(values) > 1 else values[0]
    return params
