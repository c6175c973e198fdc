import datetime
from decimal import Decimal

from django.urls import reverse

from accountwise.accounts.models import Account, AccountType, ContactRole
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.opportunities.models import Opportunity
from accountwise.portfolio.models import SavedFilter
from accountwise.reports.defined import groupings, run_report
from accountwise.reports.models import ReportDefinition, Visibility
from accountwise.reports.tests.factories import make_portfolio
from accountwise.reports.tests.queries import assert_constant_queries
from accountwise.test import BaseTestCase, make_account, make_contact, make_contract, make_opportunity, stage

ALL_MEASURES = ["count", "total_value", "estimated_value", "average_value", "win_rate"]


def make_definition(**fields) -> ReportDefinition:
    fields.setdefault("name", f"Report {ReportDefinition.objects.count() + 1}")
    fields.setdefault("entity", "opportunity")
    fields.setdefault("group_by", "account")
    fields.setdefault("measures", ["count"])
    return ReportDefinition.objects.create(**fields)


class OpportunityMeasureTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)

    def test_each_measure_by_account(self):
        definition = make_definition(measures=ALL_MEASURES)

        result = run_report(definition, Account.objects.all())

        # Acme: 7 opportunities worth 15,800.50; estimated 5,830.05 open + 5,000.00 won; 2 won, 1 lost.
        self.assertEqual(
            result.rows,
            [
                ("Acme Corporation", [7, Decimal("15800.50"), Decimal("10830.05"), Decimal("2257.21"), Decimal("66.7")]),
                ("Globex", [3, Decimal("3000.00"), Decimal("300.00"), Decimal("1000.00"), Decimal("0.0")]),
            ],
        )
        self.assertEqual(result.totals, [10, Decimal("18800.50"), Decimal("11130.05"), Decimal("1880.05"), Decimal("50.0")])

    def test_filters_apply(self):
        definition = make_definition(measures=["count", "total_value", "estimated_value"], filters={"status": "active"})

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.totals, [5, Decimal("9800.50"), Decimal("6130.05")])
        self.assertEqual(Opportunity.objects.open().totals()["estimated_value"], result.totals[2])

    def test_value_range_filter(self):
        definition = make_definition(filters={"value_min": "1000", "value_max": "2000"})

        result = run_report(definition, Account.objects.all())

        # 1,000.00 and 2,000.00 (Acme, twice 1,000.00 counted once each) and 1,500.00 (Globex).
        self.assertEqual(result.rows, [("Acme Corporation", [3]), ("Globex", [1])])

    def test_win_rate_undefined_without_closed(self):
        definition = make_definition(measures=["win_rate"], filters={"status": "active"})

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows[0][1], [None])

    def test_group_by_stage_in_stage_order(self):
        definition = make_definition(group_by="stage", measures=["count"])

        result = run_report(definition, Account.objects.all())

        self.assertEqual(
            [label for label, _ in result.rows],
            ["Prospecting", "Qualification", "Proposal", "Negotiation", "On hold", "Closed won", "Closed lost"],
        )

    def test_group_by_close_month(self):
        definition = make_definition(group_by="close_month", filters={"status": "active"})

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows, [("Nov 2026", [1]), ("Jan 2027", [2]), ("Feb 2027", [1]), ("Mar 2027", [1])])

    def test_group_by_status(self):
        definition = make_definition(group_by="status")

        result = run_report(definition, Account.objects.all())

        self.assertEqual(dict(result.rows), {"Active": [5], "On hold": [1], "Closed won": [2], "Closed lost": [2]})

    def test_saved_filter_applies(self):
        saved = SavedFilter.objects.create(
            name="Won only", entity="opportunities", owner=self.admin, is_shared=True, params={"status": ["closed_won"]}
        )
        definition = make_definition(saved_filter=saved, measures=["total_value"])

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows, [("Acme Corporation", [Decimal("5000.00")])])

    def test_own_filter_overrides_saved_one(self):
        saved = SavedFilter.objects.create(
            name="Won only", entity="opportunities", owner=self.admin, is_shared=True, params={"status": ["closed_won"]}
        )
        definition = make_definition(saved_filter=saved, filters={"status": "closed_lost"})

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.totals, [2])

    def test_scope_to_one_account(self):
        definition = make_definition()

        result = run_report(definition, Account.objects.filter(pk=self.globex.pk))

        self.assertEqual(result.rows, [("Globex", [3])])
        self.assertEqual(result.totals, [3])


class CustomFieldGroupingTests(BaseTestCase):
    def test_opportunity_choice_field(self):
        make_custom_field("opportunity", "choice", key="region", label="Region", choices=["North", "South"])
        for region, value in [("North", "100.00"), ("North", "50.00"), ("South", "20.00")]:
            make_opportunity(self.account, value=Decimal(value), custom_fields={"region": region})
        make_opportunity(self.account, value=Decimal("7.00"))
        definition = make_definition(group_by="cf:region", measures=["count", "total_value"])

        result = run_report(definition, Account.objects.all())

        self.assertEqual(
            result.rows,
            [
                ("North", [2, Decimal("150.00")]),
                ("South", [1, Decimal("20.00")]),
                ("No value", [1, Decimal("7.00")]),
            ],
        )

    def test_yes_no_field(self):
        make_custom_field("contract", "boolean", key="strategic", label="Strategic")
        make_contract(self.account, custom_fields={"strategic": True})
        make_contract(self.account, custom_fields={"strategic": True})
        make_contract(self.account, custom_fields={"strategic": False})
        definition = make_definition(entity="contract", group_by="cf:strategic")

        result = run_report(definition, Account.objects.all())

        self.assertEqual(sorted(result.rows), [("No", [1]), ("Yes", [2])])

    def test_account_field_on_contracts(self):
        make_custom_field("account", "text", key="segment", label="Segment")
        retail = make_account("Retailer", custom_fields={"segment": "Retail"})
        make_contract(retail, value=Decimal("300.00"))
        make_contract(self.account, value=Decimal("200.00"))
        definition = make_definition(entity="contract", group_by="account_cf:segment", measures=["total_value"])

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows, [("Retail", [Decimal("300.00")]), ("No value", [Decimal("200.00")])])

    def test_user_field_shows_names(self):
        make_custom_field("account", "user", key="sponsor", label="Executive sponsor")
        make_account("Initech", custom_fields={"sponsor": self.teammate.pk})
        definition = make_definition(entity="account", group_by="cf:sponsor")

        result = run_report(definition, Account.objects.all())

        self.assertIn(("Charlie", [1]), result.rows)

    def test_offered_as_grouping(self):
        make_custom_field("opportunity", "choice", key="region", label="Region", choices=["North"])
        retired = make_custom_field("opportunity", "text", key="old_code", label="Old code")
        retired.retire()

        options = groupings("opportunity")

        self.assertEqual(options["cf:region"].label, "Region")
        self.assertNotIn("cf:old_code", options)


class OtherEntityTests(BaseTestCase):
    def test_accounts_by_type(self):
        make_account("Strategic one", type=AccountType.STRATEGIC)
        definition = make_definition(entity="account", group_by="type")

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows, [("Normal", [1]), ("Strategic", [1])])

    def test_contacts_by_role(self):
        make_contact(self.account, role=ContactRole.CHAMPION)
        make_contact(self.account, role=ContactRole.CHAMPION)
        make_contact(self.account)
        definition = make_definition(entity="contact", group_by="role")

        result = run_report(definition, Account.objects.all())

        self.assertEqual(sorted(result.rows), [("Champion", [2]), ("No value", [1])])

    def test_contracts_average_ignores_missing_values(self):
        make_contract(self.account, value=Decimal("100.00"), end_date=datetime.date(2027, 1, 5))
        make_contract(self.account, value=None, end_date=datetime.date(2027, 1, 20))
        definition = make_definition(entity="contract", group_by="end_month", measures=["count", "average_value"])

        result = run_report(definition, Account.objects.all())

        self.assertEqual(result.rows, [("Jan 2027", [2, Decimal("100.00")])])


class DefinedReportPageTests(BaseTestCase):
    def setUp(self):
        make_portfolio(self)
        self.definition = make_definition(name="Pipeline by account", measures=["count", "total_value"])

    def test_member_sees_shared_report(self):
        self.login(self.outsider)

        response = self.client.get(self.definition.get_absolute_url())

        self.assertContains(response, "Pipeline by account")
        self.assertContains(response, "$15,800.50")

    def test_administrators_only_hidden_from_members(self):
        hidden = make_definition(name="Board figures", visibility=Visibility.ADMINISTRATORS)
        self.login(self.owner)

        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.assertNotContains(self.client.get(reverse("reports:index")), "Board figures")

    def test_administrators_only_shown_to_administrators(self):
        hidden = make_definition(name="Board figures", visibility=Visibility.ADMINISTRATORS)
        self.login(self.admin)

        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 200)
        self.assertContains(self.client.get(reverse("reports:index")), "Board figures")

    def test_csv_equals_table(self):
        self.login(self.owner)

        response = self.client.get(self.definition.get_absolute_url(), {"download": "groups", "format": "csv"})

        text = response.content.decode("utf-8-sig").splitlines()
        self.assertEqual(text, ["Account,Count,Total value", "Acme Corporation,7,15800.50", "Globex,3,3000.00", "Total,10,18800.50"])

    def test_retired_grouping_shows_warning(self):
        field = make_custom_field("opportunity", "text", key="code", label="Code")
        broken = make_definition(name="By code", group_by="cf:code")
        field.retire()
        self.login(self.admin)

        response = self.client.get(broken.get_absolute_url())

        self.assertContains(response, "groups by a field that no longer exists")

    def test_query_count_constant(self):
        self.login(self.owner)

        def grow():
            for index in range(10):
                account = make_account(f"Extra {index}")
                make_opportunity(account, stage=stage("Proposal"))

        assert_constant_queries(self, lambda: self.client.get(self.definition.get_absolute_url()), grow)
