import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountwise.accounts.models import AccountStatus, ContactRole, DecisionPower, Sentiment
from accountwise.core.models import Organisation
from accountwise.test import BaseTestCase, make_contact


class AccountContactsTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contacts", args=[self.account.pk])
        self.login(self.owner)

    def test_everyone_may_view(self):
        make_contact(self.account, "Coyote")
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertContains(response, "Pat Coyote")

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("accounts:contacts", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_lists_contact_details(self):
        boss = make_contact(self.account, "Coyote", first_name="Wile")
        make_contact(
            self.account, "Runner", first_name="Road", job_title="Head of Procurement",
            email="road@acme.example", phone="+1 555 0100", is_key_player=True,
            role=ContactRole.CHAMPION, reports_to=boss,
        )

        response = self.client.get(self.url)

        self.assertContains(response, "Head of Procurement")
        self.assertContains(response, '<a href="mailto:road@acme.example">road@acme.example</a>', html=True)
        self.assertContains(response, "+1 555 0100")
        self.assertContains(response, "Champion")
        self.assertContains(response, "Key player</span>", count=1)
        self.assertContains(response, f'href="#contact-{boss.pk}">Wile Coyote</a>')

    def test_empty_state_offers_add(self):
        response = self.client.get(self.url)

        self.assertContains(response, "No contacts yet")
        self.assertContains(response, reverse("accounts:contact-create", args=[self.account.pk]))

    def test_outsider_sees_no_changes(self):
        contact = make_contact(self.account)
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:contact-create", args=[self.account.pk]))
        self.assertNotContains(response, reverse("accounts:contact-edit", args=[contact.pk]))
        self.assertNotContains(response, reverse("accounts:contact-delete", args=[contact.pk]))

    def test_archived_account_read_only(self):
        contact = make_contact(self.account)
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self.client.get(self.url)

        self.assertNotContains(response, reverse("accounts:contact-create", args=[self.account.pk]))
        self.assertNotContains(response, reverse("accounts:contact-edit", args=[contact.pk]))

    def test_queries_independent_of_contacts(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        boss = make_contact(self.account)

        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)

        for _ in range(10):
            make_contact(self.account, reports_to=boss)

        with self.assertNumQueries(len(small)):
            self.client.get(self.url)


class ContactsListFieldsTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contacts", args=[self.account.pk])
        self.login(self.owner)

    def test_lists_key_player_fields(self):
        contact = make_contact(
            self.account, "Runner", first_name="Road", sentiment=Sentiment.ADVOCATE,
            decision_power=DecisionPower.HIGH, relationship_owner=self.teammate,
            last_contact_date=datetime.date(2026, 3, 9),
        )

        response = self.client.get(self.url)

        self.assertContains(response, '<span class="badge aw-sentiment-badge aw-sentiment-advocate"')
        self.assertContains(response, "<td>High</td>", html=True)
        self.assertContains(response, "<td>Charlie</td>", html=True)
        self.assertContains(response, "Mar 9, 2026")
        link = f'<a class="fw-medium" href="{contact.get_absolute_url()}">Road Runner</a>'
        self.assertContains(response, link, html=True)


class RelationshipMapViewTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contacts", args=[self.account.pk])
        self.map_url = f"{self.url}?view=map"
        self.login(self.owner)
        self.ceo = make_contact(
            self.account, "Coyote", first_name="Wile", role=ContactRole.EXECUTIVE_SPONSOR,
            sentiment=Sentiment.SUPPORTER, is_key_player=True,
        )
        self.cfo = make_contact(
            self.account, "Duck", first_name="Daisy", reports_to=self.ceo, sentiment=Sentiment.HOSTILE,
            role=ContactRole.DECISION_MAKER,
        )

    def test_everyone_may_view(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.map_url)

                self.assertContains(response, 'data-testid="relationship-map"')

    def test_toggle_links_both_views(self):
        response = self.client.get(self.map_url)

        self.assertContains(response, f'href="{self.url}?view=map" aria-current="true"')
        self.assertContains(response, f'href="{self.url}"')
        self.assertEqual(response.context["view"], "map")

    def test_list_is_default(self):
        response = self.client.get(self.url)

        self.assertEqual(response.context["view"], "list")
        self.assertNotContains(response, 'data-testid="relationship-map"')

    def test_nodes_coloured_by_sentiment(self):
        response = self.client.get(self.map_url)

        self.assertContains(
            response, f'<div class="aw-org-node aw-sentiment-supporter" id="map-contact-{self.ceo.pk}"'
        )
        self.assertContains(response, f'<div class="aw-org-node aw-sentiment-hostile" id="map-contact-{self.cfo.pk}"')

    def test_unknown_sentiment_marked(self):
        unknown = make_contact(self.account, "Fudd", reports_to=self.ceo)

        response = self.client.get(self.map_url)

        self.assertContains(response, f'<div class="aw-org-node aw-sentiment-unknown" id="map-contact-{unknown.pk}"')

    def test_nodes_show_role_badges(self):
        response = self.client.get(self.map_url)

        self.assertContains(response, "Executive sponsor</span>")
        self.assertContains(response, "Decision maker</span>")
        self.assertContains(response, 'title="Key player" aria-label="Key player"', count=1)

    def test_report_nested_under_manager(self):
        response = self.client.get(self.map_url)

        html = response.content.decode()
        ceo_at = html.index(f'id="map-contact-{self.ceo.pk}"')
        nested_list_at = html.index("<ul>", ceo_at)
        cfo_at = html.index(f'id="map-contact-{self.cfo.pk}"')
        self.assertLess(nested_list_at, cfo_at)

    def test_nodes_link_contact_pages(self):
        response = self.client.get(self.map_url)

        link = f'<a class="aw-org-name" href="{self.cfo.get_absolute_url()}">Daisy Duck</a>'
        self.assertContains(response, link, html=True)

    def test_htmx_serves_tab_body(self):
        response = self.client.get(self.map_url, HTTP_HX_REQUEST="true")

        self.assertTemplateUsed(response, "accounts/_contacts_view.html")
        self.assertTemplateNotUsed(response, "accounts/account_contacts.html")
        self.assertIn("HX-Request", response["Vary"])

    def test_queries_independent_of_contacts(self):
        Organisation.get()  # Created on first use; a fresh database has none yet.
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.map_url)

        manager = self.cfo
        for number in range(12):
            manager = make_contact(
                self.account, relationship_owner=self.owner, reports_to=manager if number % 3 else self.ceo
            )

        with self.assertNumQueries(len(small)):
            response = self.client.get(self.map_url)
        self.assertEqual(len(response.context["relationship_map"].entries), 14)
