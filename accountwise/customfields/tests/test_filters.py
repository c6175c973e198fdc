import datetime
from decimal import Decimal

import django_filters

from accountwise.accounts.models import Account
from accountwise.contracts.models import Contract
from accountwise.customfields.filters import custom_field_columns, custom_field_filters
from accountwise.customfields.tests.factories import make_custom_field
from accountwise.test import BaseTestCase, make_account, make_contract


def _filter(entity: str, model, params: dict, prefix: str = "") -> list[str]:
    class Filter(django_filters.FilterSet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters.update(custom_field_filters(entity, prefix))

    filterset = Filter(params, queryset=model.objects.order_by("name"))
    assert filterset.is_valid(), filterset.errors
    return [record.name for record in filterset.qs]


class CustomFieldFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for key, field_type in [
            ("region", "text"), ("budget", "money"), ("score", "number"), ("share", "percentage"),
            ("review", "date"), ("partner", "boolean"), ("user_pick", "user"),
        ]:
            make_custom_field("account", field_type, key, filterable=True)
        make_custom_field("account", "choice", "tier", filterable=True, choices=["Gold", "Silver"])
        make_custom_field("account", "multiple_choice", "lines", filterable=True, choices=["Cloud", "Édition", "Support"])
        make_custom_field("account", "text", "hidden", filterable=False)
        Account.objects.filter(pk=cls.account.pk).update(custom_fields={
            "region": "Northern Europe", "budget": "900.00", "score": "9.5", "share": "40",
            "review": "2027-03-01", "partner": True, "tier": "Gold", "lines": ["Cloud", "Édition"],
            "user_pick": cls.owner.pk,
        })
        make_account("Beta", custom_fields={
            "region": "Southern Europe", "budget": "10000.00", "score": "100", "share": "5.5",
            "review": "2026-12-31", "partner": False, "tier": "Silver", "lines": ["Support"],
            "user_pick": cls.teammate.pk,
        })
        make_account("Gamma", custom_fields={"budget": "80.00"})

    def test_only_filterable_active_fields(self):
        filters = custom_field_filters("account")

        self.assertIn("cf_region", filters)
        self.assertNotIn("cf_hidden", filters)
        self.assertNotIn("cf_region", custom_field_filters("contract"))

    def test_text_contains_ignoring_case(self):
        self.assertEqual(_filter("account", Account, {"cf_region": "northern"}), ["Acme Corporation"])
        self.assertEqual(_filter("account", Account, {"cf_region": "europe"}), ["Acme Corporation", "Beta"])

    def test_money_range_compares_numerically(self):
        # As text "900.00" > "10000.00"; as numbers it is not.
        self.assertEqual(_filter("account", Account, {"cf_budget_min": "1000"}), ["Beta"])
        self.assertEqual(_filter("account", Account, {"cf_budget_max": "900"}), ["Acme Corporation", "Gamma"])
        self.assertEqual(_filter("account", Account, {"cf_budget_min": "85", "cf_budget_max": "900"}), ["Acme Corporation"])

    def test_number_and_percentage_ranges(self):
        self.assertEqual(_filter("account", Account, {"cf_score_min": "10"}), ["Beta"])
        self.assertEqual(_filter("account", Account, {"cf_share_max": "6"}), ["Beta"])

    def test_date_range(self):
        self.assertEqual(_filter("account", Account, {"cf_review_after": "2027-01-01"}), ["Acme Corporation"])
        self.assertEqual(
            _filter("account", Account, {"cf_review_after": "2026-12-31", "cf_review_before": "2026-12-31"}), ["Beta"]
        )

    def test_yes_no_counts_missing_as_no(self):
        self.assertEqual(_filter("account", Account, {"cf_partner": "yes"}), ["Acme Corporation"])
        self.assertEqual(_filter("account", Account, {"cf_partner": "no"}), ["Beta", "Gamma"])

    def test_choice_equals(self):
        self.assertEqual(_filter("account", Account, {"cf_tier": "Silver"}), ["Beta"])

    def test_multiple_choice_contains(self):
        self.assertEqual(_filter("account", Account, {"cf_lines": "Cloud"}), ["Acme Corporation"])
        self.assertEqual(_filter("account", Account, {"cf_lines": "Édition"}), ["Acme Corporation"])
        self.assertEqual(_filter("account", Account, {"cf_lines": "Support"}), ["Beta"])

    def test_user(self):
        self.assertEqual(_filter("account", Account, {"cf_user_pick": str(self.teammate.pk)}), ["Beta"])

    def test_combination(self):
        params = {"cf_region": "europe", "cf_budget_min": "500", "cf_partner": "no", "cf_lines": "Support"}
        self.assertEqual(_filter("account", Account, params), ["Beta"])
        params["cf_tier"] = "Gold"
        self.assertEqual(_filter("account", Account, params), [])

    def test_account_prefix_filters_contracts(self):
        make_contract(self.account, "Acme support")
        make_contract(Account.objects.get(name="Beta"), "Beta licence")

        names = _filter("account", Contract, {"cf_budget_min": "1000", "cf_tier": "Silver"}, prefix="account__")

        self.assertEqual(names, ["Beta licence"])

    def test_unknown_choice_is_invalid(self):
        class Filter(django_filters.FilterSet):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.filters.update(custom_field_filters("account"))

        filterset = Filter({"cf_tier": "Bronze"}, queryset=Account.objects.all())

        self.assertFalse(filterset.is_valid())
        self.assertIn("cf_tier", filterset.errors)

    def test_columns_in_order_without_retired(self):
        first = make_custom_field("contract", "text", "first", show_in_list=True, position=2)
        make_custom_field("contract", "text", "second", show_in_list=True, position=1)
        make_custom_field("contract", "text", "off_list", position=0)
        first.retire()

        self.assertEqual([column.key for column in custom_field_columns("contract")], ["second"])


class SameKeyOnTwoEntitiesTests(BaseTestCase):
    def test_contract_and_account_ranges_apart(self):
        make_custom_field("account", "money", "budget", filterable=True)
        make_custom_field("contract", "money", "budget", filterable=True)
        Account.objects.filter(pk=self.account.pk).update(custom_fields={"budget": "100.00"})
        make_contract(self.account, "Small", custom_fields={"budget": "5.00"})
        make_contract(self.account, "Large", custom_fields={"budget": "500.00"})

        class Filter(django_filters.FilterSet):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.filters.update(custom_field_filters("contract"))
                self.filters.update({f"account_{name}": f for name, f in custom_field_filters("account", "account__").items()})

        filterset = Filter(
            {"cf_budget_min": "50", "account_cf_budget_max": "150"}, queryset=Contract.objects.order_by("name")
        )

        self.assertEqual([contract.name for contract in filterset.qs], ["Large"])
