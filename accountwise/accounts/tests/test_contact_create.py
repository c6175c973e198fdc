import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accountwise.accounts.models import AccountStatus, Contact, ContactRole, DecisionPower, Sentiment
from accountwise.test import BaseTestCase, make_account, make_contact


class ContactCreateTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contact-create", args=[self.account.pk])
        self.login(self.owner)

    def _post(self, **fields):
        data = {"first_name": "Wile", "last_name": "Coyote"}
        data.update(fields)
        return self.client.post(self.url, data)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get = self.client.get(self.url)
        post = self._post()

        self.assertEqual(get.status_code, 403)
        self.assertEqual(post.status_code, 403)
        self.assertFalse(Contact.objects.exists())

    def test_team_and_admin_may_add(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 200)
                self._post(last_name=user.username)
                self.assertTrue(self.account.contacts.filter(last_name=user.username).exists())

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("accounts:contact-create", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_add_saves_all_fields(self):
        boss = make_contact(self.account, "Boss")

        response = self._post(
            job_title="CEO", email="wile@acme.example", phone="+1 555 0100", is_key_player="on",
            role=ContactRole.DECISION_MAKER, reports_to=boss.pk,
        )

        contact = Contact.objects.get(last_name="Coyote")
        self.assertRedirects(
            response,
            reverse("accounts:contacts", args=[self.account.pk]) + f"#contact-{contact.pk}",
            fetch_redirect_response=False,
        )
        self.assertEqual(contact.account, self.account)
        self.assertEqual(contact.job_title, "CEO")
        self.assertEqual(contact.email, "wile@acme.example")
        self.assertEqual(contact.phone, "+1 555 0100")
        self.assertTrue(contact.is_key_player)
        self.assertEqual(contact.role, ContactRole.DECISION_MAKER)
        self.assertEqual(contact.reports_to, boss)

    def test_add_shows_message(self):
        response = self.client.post(
            self.url, {"first_name": "Wile", "last_name": "Coyote"}, follow=True
        )

        self.assertContains(response, "Contact Wile Coyote added.")

    def test_last_name_required(self):
        response = self._post(last_name="", job_title="CEO")

        self.assertIn("last_name", response.context["form"].errors)
        self.assertContains(response, 'value="CEO"')
        self.assertFalse(Contact.objects.exists())

    def test_invalid_email(self):
        response = self._post(email="wile-at-acme")

        self.assertEqual(
            response.context["form"].errors["email"], ["Enter a valid email address."]
        )

    def test_reports_to_offers_same_account(self):
        colleague = make_contact(self.account, "Colleague")
        stranger = make_contact(make_account("Globex"), "Stranger")

        response = self.client.get(self.url)

        choices = list(response.context["form"].fields["reports_to"].queryset)
        self.assertEqual(choices, [colleague])
        self.assertNotIn(stranger, choices)

    def test_reports_to_other_account_rejected(self):
        stranger = make_contact(make_account("Globex"), "Stranger")

        response = self._post(reports_to=stranger.pk)

        self.assertIn("reports_to", response.context["form"].errors)
        self.assertFalse(Contact.objects.filter(last_name="Coyote").exists())

    def test_key_player_preselected(self):
        response = self.client.get(self.url, {"key_player": "1"})

        self.assertTrue(response.context["form"]["is_key_player"].value())

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self._post()

        self.assertRedirects(
            response,
            reverse("accounts:detail", args=[self.account.pk]),
            fetch_redirect_response=False,
        )
        self.assertFalse(Contact.objects.exists())


class ContactKeyPlayerFieldsTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:contact-create", args=[self.account.pk])
        self.login(self.owner)

    def _post(self, **fields):
        data = {"first_name": "Wile", "last_name": "Coyote", "is_key_player": "on"}
        data.update(fields)
        return self.client.post(self.url, data)

    def test_saves_key_player_fields(self):
        self._post(
            sentiment=Sentiment.CRITIC, decision_power=DecisionPower.MEDIUM,
            relationship_owner=self.teammate.pk, last_contact_date="2026-02-27",
        )

        contact = Contact.objects.get()
        self.assertEqual(contact.sentiment, Sentiment.CRITIC)
        self.assertEqual(contact.decision_power, DecisionPower.MEDIUM)
        self.assertEqual(contact.relationship_owner, self.teammate)
        self.assertEqual(contact.last_contact_date, datetime.date(2026, 2, 27))

    def test_fields_optional(self):
        self._post()

        contact = Contact.objects.get()
        self.assertEqual(contact.sentiment, "")
        self.assertEqual(contact.decision_power, "")
        self.assertIsNone(contact.relationship_owner)
        self.assertIsNone(contact.last_contact_date)

    def test_future_last_contact_rejected(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = self._post(last_contact_date=tomorrow.isoformat(), job_title="CEO")

        self.assertEqual(
            response.context["form"].errors["last_contact_date"],
            ["The last contact date is in the future; enter the day of the last call or meeting, "
             "today at the latest."],
        )
        self.assertContains(response, 'value="CEO"')
        self.assertFalse(Contact.objects.exists())

    def test_unknown_sentiment_rejected(self):
        response = self._post(sentiment="furious")

        self.assertIn("sentiment", response.context["form"].errors)
        self.assertFalse(Contact.objects.exists())

    def test_inactive_users_not_offered(self):
        self.teammate.is_active = False
        self.teammate.save()

        response = self.client.get(self.url)

        self.assertNotIn(self.teammate, response.context["form"].fields["relationship_owner"].queryset)

    def test_database_rejects_unknown_sentiment(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_contact(self.account, sentiment="furious")
