from django.db import IntegrityError, transaction
from django.urls import reverse

from accountwise.customfields.tests.factories import make_custom_field
from accountwise.portfolio.models import SavedFilter
from accountwise.reports.models import ReportDefinition
from accountwise.reports.tests.test_defined_reports import make_definition
from accountwise.test import BaseTestCase

LIST = reverse("reports:definitions")
CHOOSE = reverse("reports:definition-choose")
CREATE = reverse("reports:definition-create", args=["opportunity"])


def _data(**changes) -> dict:
    data = {
        "name": "Pipeline by region",
        "description": "Open business per region.",
        "group_by": "stage",
        "measures": ["count", "total_value"],
        "chart_type": "bar",
        "visibility": "everyone",
        "position": "0",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class DefinitionAccessTests(BaseTestCase):
    def test_members_forbidden(self):
        definition = make_definition()
        self.login(self.owner)

        for url in (LIST, CHOOSE, CREATE, reverse("reports:definition-edit", args=[definition.pk])):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        response = self.client.post(reverse("reports:definition-delete", args=[definition.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertTrue(ReportDefinition.objects.filter(pk=definition.pk).exists())

    def test_unknown_entity_is_404(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(reverse("reports:definition-create", args=["invoices"])).status_code, 404)

    def test_list_shows_labels(self):
        make_custom_field("opportunity", "choice", key="region", label="Region", choices=["North"])
        make_definition(name="By region", group_by="cf:region", measures=["count", "win_rate"])
        self.login(self.admin)

        response = self.client.get(LIST)

        self.assertContains(response, "<td>Region</td>", html=True)
        self.assertContains(response, "<td>Count, Win rate</td>", html=True)

    def test_list_empty_state(self):
        self.login(self.admin)

        response = self.client.get(LIST)

        self.assertContains(response, "No reports defined yet.")


class DefinitionCreateTests(BaseTestCase):
    def setUp(self):
        self.login(self.admin)

    def test_creates_with_filters(self):
        response = self.client.post(CREATE, {**_data(), "filter-status": "active", "filter-value_min": "1000"})

        definition = ReportDefinition.objects.get()
        self.assertRedirects(response, definition.get_absolute_url())
        self.assertEqual(definition.entity, "opportunity")
        self.assertEqual(definition.measures, ["count", "total_value"])
        self.assertEqual(definition.filters, {"status": "active", "value_min": "1000"})
        self.assertEqual(definition.created_by, self.admin)

    def test_measures_kept_in_list_order(self):
        self.client.post(CREATE, _data(measures=["win_rate", "count"]))

        self.assertEqual(ReportDefinition.objects.get().measures, ["count", "win_rate"])

    def test_custom_field_grouping_offered(self):
        make_custom_field("opportunity", "choice", key="region", label="Region", choices=["North"])

        self.client.post(CREATE, _data(group_by="cf:region"))

        self.assertEqual(ReportDefinition.objects.get().group_by, "cf:region")

    def test_measure_required(self):
        response = self.client.post(CREATE, _data(measures=None))

        self.assertContains(response, "This field is required.")
        self.assertFalse(ReportDefinition.objects.exists())

    def test_measure_of_other_entity_rejected(self):
        response = self.client.post(
            reverse("reports:definition-create", args=["contact"]), _data(group_by="role", measures=["total_value"])
        )

        self.assertContains(response, "Select a valid choice. total_value is not one of the available choices.")

    def test_unknown_grouping_rejected(self):
        response = self.client.post(CREATE, _data(group_by="cf:missing"))

        self.assertContains(response, "Select a valid choice.")

    def test_pie_with_two_measures_rejected(self):
        response = self.client.post(CREATE, _data(chart_type="pie"))

        self.assertContains(response, "A pie chart shows one measure; keep one measure or choose a bar or line chart.")

    def test_pie_of_win_rate_rejected(self):
        response = self.client.post(CREATE, _data(chart_type="pie", measures=["win_rate"]))

        self.assertContains(response, "the win rate of each group is not one")

    def test_duplicate_name_rejected_ignoring_case(self):
        make_definition(name="Pipeline by region")

        response = self.client.post(CREATE, _data(name="PIPELINE BY REGION"))

        self.assertContains(response, "A report with this name exists already; choose another name.")
        self.assertEqual(ReportDefinition.objects.count(), 1)

    def test_invalid_filter_rejected(self):
        response = self.client.post(CREATE, {**_data(), "filter-close_date_after": "not a date"})

        self.assertContains(response, "Enter a valid date.")
        self.assertFalse(ReportDefinition.objects.exists())

    def test_only_shared_saved_filters_offered(self):
        shared = SavedFilter.objects.create(name="Big deals", entity="opportunities", owner=self.admin, is_shared=True)
        SavedFilter.objects.create(name="Mine", entity="opportunities", owner=self.admin)
        SavedFilter.objects.create(name="Contracts", entity="contracts", owner=self.admin, is_shared=True)

        response = self.client.get(CREATE)

        self.assertEqual(list(response.context["form"].fields["saved_filter"].queryset), [shared])


class DefinitionEditTests(BaseTestCase):
    def setUp(self):
        self.login(self.admin)
        self.definition = make_definition(name="Old name", filters={"status": "active"})

    def test_form_shows_stored_filters(self):
        response = self.client.get(reverse("reports:definition-edit", args=[self.definition.pk]))

        self.assertEqual(response.context["filter_form"]["status"].value(), "active")

    def test_saves_and_clears_filters(self):
        url = reverse("reports:definition-edit", args=[self.definition.pk])

        self.client.post(url, _data(name="New name", group_by="owner"))

        self.definition.refresh_from_db()
        self.assertEqual(self.definition.name, "New name")
        self.assertEqual(self.definition.group_by, "owner")
        self.assertEqual(self.definition.filters, {})

    def test_delete(self):
        response = self.client.post(reverse("reports:definition-delete", args=[self.definition.pk]))

        self.assertRedirects(response, LIST)
        self.assertFalse(ReportDefinition.objects.exists())


class DefinitionConstraintTests(BaseTestCase):
    def test_database_rejects_bad_values(self):
        for fields in ({"entity": "invoice"}, {"chart_type": "radar"}, {"visibility": "nobody"}, {"group_by": ""}):
            with self.subTest(fields=fields), transaction.atomic(), self.assertRaises(IntegrityError):
                make_definition(name=f"Bad {fields}", **fields)
