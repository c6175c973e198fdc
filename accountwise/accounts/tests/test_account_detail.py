import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import (
    AccountStatus,
    AccountType,
    ContactRole,
    DecisionPower,
    Sentiment,
)
from accountwise.core.models import Organisation
from accountwise.test import (
    BaseTestCase,
    make_account,
    make_contact,
    make_contract,
    make_opportunity,
    make_opportunity_contact,
    make_plan,
)


class AccountDetailTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:detail", args=[self.account.pk])
        self.login(self.owner)

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "<span>Acme Corporation</span>", html=True)

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("accounts:detail", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_actions_for_team_and_admin(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, reverse("accounts:edit", args=[self.account.pk]))
                self.assertContains(response, reverse("accounts:archive", args=[self.account.pk]))

    def test_no_actions_for_outsider(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:edit", args=[self.account.pk]))
        self.assertNotContains(response, reverse("accounts:archive", args=[self.account.pk]))
        self.assertFalse(response.context["can_change"])

    def test_archived_hides_edit(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:edit", args=[self.account.pk]))
        self.assertContains(response, reverse("accounts:restore", args=[self.account.pk]))
        self.assertFalse(response.context["is_editable"])

    def test_header_badges(self):
        self.account.type = AccountType.STRATEGIC
        self.account.save()

        response = self.client.get(self.url)

        self.assertContains(response, '<i class="bi bi-star-fill"></i> Strategic')
        self.assertContains(response, '<span class="badge text-bg-success">Active</span>')
        self.assertContains(response, "Owned by Bob")

    def test_tabs_link_every_tab(self):
        response = self.client.get(self.url)

        for name in ("detail", "contacts", "plans", "documents", "history"):
            with self.subTest(tab=name):
                self.assertContains(response, f'href="{reverse(f"accounts:{name}", args=[self.account.pk])}"')

    def test_summary_links_group(self):
        group = make_account("Acme Group")
        self.account.parent = group
        self.account.save()
        subsidiary = make_account("Acme Spain", parent=self.account)

        response = self.client.get(self.url)

        self.assertContains(response, f'<a href="{group.get_absolute_url()}">Acme Group</a>', html=True)
        self.assertContains(
            response, f'<a href="{subsidiary.get_absolute_url()}">Acme Spain</a>', html=True
        )

    def test_summary_shows_team(self):
        response = self.client.get(self.url)

        self.assertContains(response, '<dd class="col-sm-8">Charlie</dd>', html=True)

    def test_website_opens_safely(self):
        self.account.website = "https://acme.example"
        self.account.save()

        response = self.client.get(self.url)

        self.assertContains(response, 'href="https://acme.example" target="_blank" rel="noopener"')

    def test_key_players_card(self):
        make_contact(
            self.account, "Coyote", first_name="Wile", job_title="CEO", is_key_player=True,
            role=ContactRole.DECISION_MAKER,
        )
        make_contact(self.account, "Fudd", first_name="Elmer")

        response = self.client.get(self.url)

        self.assertEqual([c.full_name for c in response.context["key_players"]], ["Wile Coyote"])
        self.assertContains(response, "Decision maker")
        self.assertContains(response, "CEO")
        self.assertNotContains(response, "Elmer Fudd")

    def test_key_players_card_fields(self):
        make_contact(
            self.account, "Coyote", first_name="Wile", is_key_player=True, sentiment=Sentiment.CRITIC,
            decision_power=DecisionPower.HIGH, relationship_owner=self.teammate,
            last_contact_date=datetime.date(2026, 1, 15),
        )
        make_contact(self.account, "Runner", first_name="Road", is_key_player=True)

        response = self.client.get(self.url)

        self.assertContains(response, 'aw-sentiment-critic" title="Sentiment: Critic"')
        self.assertContains(response, "High decision power")
        owner = '<span title="Relationship owner"><i class="bi bi-person-check"></i> Charlie</span>'
        self.assertContains(response, owner, html=True)
        self.assertContains(response, "Last contact Jan 15, 2026")
        self.assertContains(response, "Decision power not known")
        self.assertContains(response, "No relationship owner")
        self.assertContains(response, "No contact recorded")

    def test_key_players_link_map(self):
        response = self.client.get(self.url)

        self.assertContains(response, f'href="{reverse("accounts:contacts", args=[self.account.pk])}?view=map"')

    def test_key_players_empty_offers_add(self):
        response = self.client.get(self.url)

        self.assertContains(response, "No key players yet.")
        add_url = reverse("accounts:contact-create", args=[self.account.pk])
        self.assertContains(response, f"{add_url}?key_player=1")

    def test_key_players_empty_outsider_no_add(self):
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertContains(response, "No key players yet.")
        self.assertNotContains(response, reverse("accounts:contact-create", args=[self.account.pk]))

    def test_includes_business_sections(self):
        response = self.client.get(self.url)

        self.assertContains(response, 'id="contracts-section"')
        self.assertContains(response, 'id="opportunities-section"')

    def test_queries_independent_of_data(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        make_contact(self.account, is_key_player=True)
        make_contract(self.account)
        make_opportunity(self.account)
        make_account("Acme Spain", parent=self.account)

        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for number in range(10):
            contact = make_contact(
                self.account, is_key_player=True, job_title=f"Director {number}",
                relationship_owner=self.teammate,
            )
            make_plan(self.account, contract=make_contract(self.account))
            opportunity = make_opportunity(self.account)
            make_opportunity_contact(opportunity, contact)
            make_plan(self.account, opportunity=opportunity)
            make_account(f"Acme subsidiary {number}", parent=self.account)

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.url)
        self.assertEqual(len(response.context["key_players"]), 11)
