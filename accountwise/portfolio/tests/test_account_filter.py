from decimal import Decimal

from django.test import RequestFactory
from django.urls import reverse

from accountwise.accounts.models import AccountType
from accountwise.portfolio import scope
from accountwise.test import BaseTestCase, make_account, make_contract, make_opportunity

HTMX = {"HTTP_HX_REQUEST": "true"}


class AccountFilterTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.account.type = AccountType.STRATEGIC
        cls.account.save()
        cls.other = make_account("Globex", owner=cls.outsider, country="Germany")
        make_contract(cls.account, "Acme support", value=Decimal("100.00"))
        make_contract(cls.other, "Globex licence", value=Decimal("900.00"))
        make_opportunity(cls.account, "Acme deal", value=Decimal("1000.00"))
        make_opportunity(cls.other, "Globex deal", value=Decimal("400.00"))

    def set_filter(self, **params) -> None:
        response = self.client.post(reverse("portfolio:account-filter"), params)
        self.assertEqual(response.status_code, 302)


class AccountFilterSessionTests(AccountFilterTestCase):
    def test_applies_across_pages(self):
        self.login(self.teammate)

        self.set_filter(type="strategic")
        accounts = self.client.get(reverse("accounts:list"))
        contracts = self.client.get(reverse("portfolio:contracts"))
        opportunities = self.client.get(reverse("portfolio:opportunities"))

        self.assertEqual([account.name for account in accounts.context["page"]], ["Acme Corporation"])
        self.assertEqual(contracts.context["totals"], {"count": 1, "total_value": Decimal("100.00")})
        self.assertEqual(opportunities.context["totals"]["total_value"], Decimal("1000.00"))

    def test_chip_bar_shows_each_criterion(self):
        self.login(self.teammate)
        self.set_filter(type="strategic", owner=str(self.owner.pk))

        response = self.client.get(reverse("portfolio:contracts"))

        self.assertContains(response, 'data-testid="account-filter-bar"')
        self.assertContains(response, "Type:</span> Strategic", html=False)
        self.assertContains(response, "Owner:</span> Bob", html=False)
        self.assertContains(response, reverse("portfolio:account-filter-remove", args=["owner"]))

    def test_chip_bar_not_on_account_pages(self):
        self.login(self.teammate)
        self.set_filter(type="strategic")

        response = self.client.get(self.account.get_absolute_url())

        self.assertNotContains(response, 'data-testid="account-filter-bar"')

    def test_remove_one_criterion(self):
        self.login(self.teammate)
        self.set_filter(type="strategic", country="Germany")

        response = self.client.post(
            reverse("portfolio:account-filter-remove", args=["type"]), {"next": reverse("portfolio:contracts")}
        )

        self.assertRedirects(response, reverse("portfolio:contracts"))
        self.assertEqual(self.client.session["account_filter"], {"country": ["Germany"]})

    def test_clear_all(self):
        self.login(self.teammate)
        self.set_filter(type="strategic")

        self.client.post(reverse("portfolio:account-filter-clear"))
        response = self.client.get(reverse("portfolio:contracts"))

        self.assertNotIn("account_filter", self.client.session)
        self.assertEqual(response.context["totals"]["count"], 2)

    def test_invalid_criterion_is_named_and_not_stored(self):
        self.login(self.teammate)

        response = self.client.post(reverse("portfolio:account-filter"), {"type": "huge", "country": "Germany"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Type: Select a valid choice.")
        self.assertNotIn("account_filter", self.client.session)

    def test_next_elsewhere_is_ignored(self):
        self.login(self.teammate)

        response = self.client.post(reverse("portfolio:account-filter"), {"type": "strategic", "next": "https://example.com/"})

        self.assertRedirects(response, reverse("accounts:list"))

    def test_each_user_has_their_own(self):
        self.login(self.teammate)
        self.set_filter(type="strategic")

        self.login(self.outsider)
        response = self.client.get(reverse("portfolio:contracts"))

        self.assertEqual(response.context["totals"]["count"], 2)


class ApplyFromAccountListTests(AccountFilterTestCase):
    def test_htmx_apply_merges_and_redirects(self):
        self.login(self.owner)
        self.set_filter(type="strategic")

        response = self.client.post(
            reverse("portfolio:account-filter-apply"), {"q": "acme", "status": "active", "type": ""}, **HTMX
        )

        self.assertEqual(response["HX-Redirect"], reverse("accounts:list"))
        self.assertEqual(self.client.session["account_filter"], {"type": ["strategic"], "q": ["acme"]})

    def test_nothing_to_apply(self):
        self.login(self.owner)

        response = self.client.post(reverse("portfolio:account-filter-apply"), {"q": ""}, follow=True)

        self.assertContains(response, "Choose a search or filter first")
        self.assertNotIn("account_filter", self.client.session)

    def test_without_javascript_opens_the_form_prefilled(self):
        self.login(self.owner)

        response = self.client.get(reverse("portfolio:account-filter"), {"q": "glob", "status": "active"})

        self.assertEqual(response.context["filter"].form["q"].value(), "glob")

    def test_account_list_offers_apply(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"), {"q": "acme"})

        self.assertContains(response, 'data-testid="apply-account-filter"')

    def test_empty_account_list_names_the_filter(self):
        self.login(self.owner)
        self.set_filter(country="Atlantis")

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, "No accounts match your account filter")

    def test_accounts_export_follows_account_filter(self):
        self.login(self.owner)
        self.set_filter(country="germany")

        response = self.client.get(reverse("transfer:export-accounts", args=["csv"]))

        text = b"".join(response.streaming_content).decode("utf-8-sig")
        self.assertIn("Globex", text)
        self.assertNotIn("Acme Corporation", text)


class FilteredAccountsTests(AccountFilterTestCase):
    def test_without_filter_returns_viewable_accounts(self):
        request = RequestFactory().get("/")
        request.user = self.outsider
        request.session = {}

        self.assertEqual(set(scope.filtered_accounts(request)), {self.account, self.other})

    def test_with_filter(self):
        request = RequestFactory().get("/")
        request.user = self.outsider
        request.session = {scope.SESSION_KEY: {"team_member": [str(self.teammate.pk)]}}

        self.assertEqual(list(scope.filtered_accounts(request)), [self.account])

    def test_stale_criterion_is_ignored(self):
        request = RequestFactory().get("/")
        request.user = self.outsider
        request.session = {scope.SESSION_KEY: {"owner": ["999999"], "country": ["germany"]}}

        self.assertEqual(list(scope.filtered_accounts(request)), [self.other])


class SavedAccountFilterMenuTests(AccountFilterTestCase):
    def test_chip_bar_offers_saved_account_filters(self):
        from accountwise.portfolio.models import SavedFilter

        saved = SavedFilter.objects.create(
            owner=self.admin, name="German accounts", entity="accounts", params={"country": ["Germany"]}, is_shared=True
        )
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, "German accounts")
        self.assertContains(response, reverse("portfolio:saved-filter-apply", args=[saved.pk]))
