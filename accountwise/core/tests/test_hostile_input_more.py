"""Hostile input in the remaining forms, the imports and the portfolio and report parameters."""

from django.urls import reverse

from accountwise.accounts.models import Account
from accountwise.core.tests.test_hostile_input import ESCAPED, SCRIPT, SQL_TEXT
from accountwise.customfields.models import CustomField
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.documents.models import Document
from accountwise.opportunities.models import Opportunity, Stage
from accountwise.plans.models import Plan, PlanAction
from accountwise.portfolio.models import SavedFilter
from accountwise.reports.models import ReportDefinition
from accountwise.test import make_opportunity, make_plan, stage
from accountwise.transfer.tests.support import ImportTestCase, WizardTestCase
from accountwise.users.models import Role, User

LONG = "A" * 5000
# Choices must not contain quotes, so this script has none.
CHOICE_SCRIPT = "<script>alert(1)</script>"
CHOICE_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
# The script as a quoted CSV cell: its double quotes doubled.
CSV_SCRIPT = SCRIPT.replace('"', '""')


class EscapedTextMixin:
    def assert_escaped(self, *urls, htmx=False):
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url, headers={"HX-Request": "true"} if htmx else {})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, ESCAPED)
                self.assertNotContains(response, SCRIPT)

    def assert_field_error(self, response, field):
        self.assertEqual(response.status_code, 200)
        self.assertIn(field, response.context["form"].errors)


class MemberFormTests(EscapedTextMixin, WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)

    def _opportunity_data(self, **changes) -> dict:
        data = {
            "name": f"Deal {SCRIPT}", "stage": str(stage("Proposal").pk), "value": "1000",
            "close_date": "2027-06-30", "description": SCRIPT, "owner": str(self.owner.pk),
        }
        return {**data, **changes}

    def _plan_data(self, **changes) -> dict:
        data = {
            "name": f"Plan {SCRIPT}", "objective": SCRIPT, "owner": "", "status": "active",
            "start_date": "2027-01-01", "due_date": "2027-06-30", "based_on": "",
        }
        return {**data, **changes}

    def test_opportunity_text_escaped(self):
        self.client.post(f"{reverse('opportunities:create')}?account={self.account.pk}", self._opportunity_data())

        opportunity = Opportunity.objects.get(name__startswith="Deal <script>")
        self.assertEqual(opportunity.description, SCRIPT)
        self.assert_escaped(opportunity.get_absolute_url(), reverse("portfolio:opportunities"))
        self.assert_escaped(reverse("opportunities:section", args=[self.account.pk]), htmx=True)

    def test_plan_and_action_text_escaped(self):
        self.client.post(f"{reverse('plans:create')}?account={self.account.pk}", self._plan_data())
        plan = Plan.objects.get(name__startswith="Plan <script>")
        self.client.post(
            reverse("plans:action-create", args=[plan.pk]), {"title": SCRIPT, "owner": "", "due_date": "2027-02-01"}
        )

        self.assertEqual(PlanAction.objects.get(plan=plan).title, SCRIPT)
        self.assert_escaped(plan.get_absolute_url(), reverse("accounts:plans", args=[self.account.pk]))

    def test_saved_filter_name_escaped(self):
        self.client.post(
            reverse("portfolio:saved-filter-create"),
            {"entity": "contracts", "name": f"Mine {SCRIPT}", "query": "status=all"},
        )

        self.assertTrue(SavedFilter.objects.filter(name=f"Mine {SCRIPT}").exists())
        self.assert_escaped(reverse("portfolio:saved-filters"), reverse("portfolio:contracts"))

    def test_document_link_title_escaped(self):
        self.client.post(
            reverse("documents:create", args=[self.account.pk]),
            {"kind": "link", "belongs_to": "account", "title": SCRIPT,
             "url": "https://drive.google.com/file/d/1AbC/view"},
        )

        self.assertEqual(Document.objects.get().title, SCRIPT)
        self.assert_escaped(self.account.get_absolute_url())

    def test_overlong_opportunity_name_rejected(self):
        url = f"{reverse('opportunities:create')}?account={self.account.pk}"

        response = self.client.post(url, self._opportunity_data(name=LONG))

        self.assert_field_error(response, "name")
        self.assertFalse(Opportunity.objects.filter(name__startswith="AAAA").exists())

    def test_overlong_plan_name_rejected(self):
        response = self.client.post(f"{reverse('plans:create')}?account={self.account.pk}", self._plan_data(name=LONG))

        self.assert_field_error(response, "name")
        self.assertFalse(Plan.objects.exists())

    def test_overlong_saved_filter_name_rejected(self):
        response = self.client.post(
            reverse("portfolio:saved-filter-create"), {"entity": "contracts", "name": LONG, "query": "status=all"}
        )

        self.assert_field_error(response, "name")
        self.assertFalse(SavedFilter.objects.exists())


class AdministratorFormTests(EscapedTextMixin, WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.admin)

    def _field_data(self, **changes) -> dict:
        data = {
            "entity": "account", "label": f"Tier {SCRIPT}", "key": "tier", "field_type": "choice",
            "choices_text": f"Gold\n{CHOICE_SCRIPT}", "help_text": SCRIPT,
        }
        return {**data, **changes}

    def test_stage_name_escaped(self):
        self.client.post(reverse("stages:create"), {"name": f"Pilot {SCRIPT}", "probability": "50"})
        pilot = Stage.objects.get(name=f"Pilot {SCRIPT}")
        opportunity = make_opportunity(self.account, stage=pilot)

        self.assert_escaped(reverse("stages:list"), opportunity.get_absolute_url())

    def test_custom_field_text_escaped(self):
        self.client.post(reverse("customfields:create"), self._field_data())

        field = CustomField.objects.get()
        self.assertEqual(field.help_text, SCRIPT)
        self.assertEqual(field.choices, ["Gold", CHOICE_SCRIPT])
        for url in (reverse("customfields:edit", args=[field.pk]), reverse("accounts:create")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, CHOICE_ESCAPED)
                self.assertNotContains(response, CHOICE_SCRIPT)
        self.assert_escaped(
            reverse("customfields:list"),
            reverse("customfields:edit", args=[field.pk]),
            reverse("accounts:create"),
            reverse("accounts:edit", args=[self.account.pk]),
        )

    def test_report_definition_name_escaped(self):
        self.client.post(
            reverse("reports:definition-create", args=["opportunity"]),
            {"name": f"Pipeline {SCRIPT}", "description": SCRIPT, "group_by": "stage",
             "measures": ["count", "total_value"], "chart_type": "bar", "visibility": "everyone", "position": "0"},
        )

        definition = ReportDefinition.objects.get()
        self.assertEqual(definition.name, f"Pipeline {SCRIPT}")
        self.assert_escaped(
            reverse("reports:index"), reverse("reports:definitions"), reverse("reports:defined", args=[definition.pk])
        )

    def test_user_names_escaped(self):
        self.client.post(
            reverse("users:create"),
            {"username": "erin", "first_name": SCRIPT, "last_name": SCRIPT, "email": "erin@example.com",
             "role": Role.ACCOUNT_MANAGER, "password1": "a-long-unusual-passphrase",
             "password2": "a-long-unusual-passphrase"},
        )
        erin = User.objects.get(username="erin")
        self.assertEqual(erin.first_name, SCRIPT)
        Account.objects.filter(pk=self.account.pk).update(owner=erin)

        self.assert_escaped(
            reverse("users:list"), reverse("users:edit", args=[erin.pk]),
            self.account.get_absolute_url(), reverse("accounts:list"),
        )

    def test_organisation_name_escaped(self):
        response = self.client.post(
            reverse("core:organisation"),
            {"name": f"Org {SCRIPT}", "currency": "EUR", "fiscal_year_start_month": 1,
             "account_visibility": "everyone"},
        )

        self.assertEqual(response.status_code, 302)
        self.assert_escaped(reverse("core:home"), reverse("core:organisation"), reverse("accounts:list"))

    def test_password_help_stays_html(self):
        response = self.client.get(reverse("users:create"))

        self.assertContains(response, "<ul><li>")
        self.assertNotContains(response, "&lt;ul&gt;")

    def test_overlong_stage_name_rejected(self):
        response = self.client.post(reverse("stages:create"), {"name": LONG, "probability": "50"})

        self.assert_field_error(response, "name")
        self.assertFalse(Stage.objects.filter(name__startswith="AAAA").exists())

    def test_overlong_custom_field_label_rejected(self):
        response = self.client.post(reverse("customfields:create"), self._field_data(label=LONG, key="tier"))

        self.assert_field_error(response, "label")
        self.assertFalse(CustomField.objects.exists())


class HostileImportTests(EscapedTextMixin, ImportTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.admin)

    def test_script_in_imported_names_escaped(self):
        accounts = self.write_csv(f'name,industry\n"Globex {CSV_SCRIPT}",Energy\n')
        self.run_command("accounts", accounts)
        opportunities = self.write_csv(
            "name,account,stage,value,close_date\n"
            f'"Deal {CSV_SCRIPT}",Acme Corporation,Proposal,500,2027-01-31\n',
            name="opportunities.csv",
        )
        self.run_command("opportunities", opportunities)

        globex = Account.objects.get(name=f"Globex {SCRIPT}")
        self.assertTrue(Opportunity.objects.filter(name=f"Deal {SCRIPT}").exists())
        self.assert_escaped(reverse("accounts:list"), globex.get_absolute_url(), reverse("portfolio:opportunities"))
        self.assert_escaped(reverse("opportunities:section", args=[self.account.pk]), htmx=True)

    def test_sql_text_imported_as_plain_text(self):
        names = [text for text in SQL_TEXT if "\x00" not in text]
        rows = [["name", "industry"]] + [[f"Name {text}", text] for text in names]
        self.run_command("accounts", self.write_xlsx({"Accounts": rows}))

        for text in names:
            with self.subTest(text=text):
                self.assertEqual(Account.objects.get(name=f"Name {text}").industry, text)
        self.assertTrue(Account.objects.filter(pk=self.account.pk).exists())


class HostileParameterTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.owner)
        make_opportunity(self.account, "Upsell")
        make_plan(self.account, "Grow")
        make_custom_field("opportunity", "text", "tier", filterable=True)
        make_custom_field("opportunity", "number", "seats", filterable=True)
        make_custom_field("contract", "date", "signed_on", filterable=True)

    def test_sql_text_in_query_parameters(self):
        urls = [
            (reverse("portfolio:opportunities"), ["q", "value_min", "value_max", "stage", "sort", "close_date_after",
                                                  "owner", "cf_tier", "cf_seats_min", "cf_seats_max", "status", "page"]),
            (reverse("portfolio:contracts"), ["q", "value_min", "value_max", "end_date_before", "ends_within", "saved",
                                              "cf_signed_on_after", "cf_signed_on_before"]),
            (reverse("reports:stage-calibration"), ["start", "end"]),
            (reverse("reports:opportunity-profile"), ["start", "end", "account"]),
            (reverse("reports:contracts-opportunities"), ["start", "end", "page"]),
            (reverse("reports:index"), ["start", "end"]),
        ]
        for url, params in urls:
            for param in params:
                for text in SQL_TEXT:
                    with self.subTest(url=url, param=param, text=text):
                        response = self.client.get(url, {param: text})
                        # An account id that is not a number is not found: 404, as for any unknown id.
                        allowed = (200, 400, 404) if param == "account" else (200, 400)
                        self.assertIn(response.status_code, allowed)
        self.assertTrue(Opportunity.objects.filter(name="Upsell").exists())
