from django.urls import reverse

from accountwise.accounts.models import AccountStatus, Contact
from accountwise.test import BaseTestCase, make_account, make_contact


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:contact-detail", args=[pk]) if pk else reverse("api:v1:contact-list")


class ContactsApiTests(BaseTestCase):
    def setUp(self):
        self.contact = make_contact(self.account, "Smith")

    def test_list_filters_by_account(self):
        make_contact(make_account("Globex"), "Jones")
        self.login(self.outsider)

        response = self.client.get(_url(), {"account": self.account.pk})

        self.assertEqual([c["last_name"] for c in response.json()["results"]], ["Smith"])

    def test_teammate_adds_contact(self):
        self.login(self.teammate)

        response = self.client.post(
            _url(), {"account": self.account.pk, "last_name": "Brown", "role": "champion"},
            content_type="application/json",
        )

        self.assertEqual(response.status_code, 201)
        self.assertEqual(Contact.objects.get(last_name="Brown").role, "champion")

    def test_outsider_cannot_add_contact(self):
        self.login(self.outsider)

        response = self.client.post(_url(), {"account": self.account.pk, "last_name": "Brown"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Contact.objects.filter(last_name="Brown").exists())

    def test_admin_adds_contact(self):
        self.login(self.admin)

        response = self.client.post(_url(), {"account": self.account.pk, "last_name": "Brown"}, content_type="application/json")

        self.assertEqual(response.status_code, 201)

    def test_missing_last_name_is_named(self):
        self.login(self.owner)

        response = self.client.post(_url(), {"account": self.account.pk}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("last_name", response.json())

    def test_future_contact_date_is_rejected(self):
        self.login(self.owner)

        response = self.client.patch(_url(self.contact.pk), {"last_contact_date": "2999-01-01"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("future", response.json()["last_contact_date"][0])

    def test_manager_elsewhere_is_rejected(self):
        stranger = make_contact(make_account("Globex"))
        self.login(self.owner)

        response = self.client.patch(_url(self.contact.pk), {"reports_to": stranger.pk}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("reports_to", response.json())

    def test_account_stays_on_update(self):
        other = make_account("Globex", owner=self.owner)
        self.login(self.owner)

        self.client.patch(_url(self.contact.pk), {"account": other.pk, "job_title": "CIO"}, content_type="application/json")

        self.contact.refresh_from_db()
        self.assertEqual(self.contact.account, self.account)
        self.assertEqual(self.contact.job_title, "CIO")

    def test_owner_deletes_contact(self):
        self.login(self.owner)

        response = self.client.delete(_url(self.contact.pk))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_outsider_cannot_delete(self):
        self.login(self.outsider)

        response = self.client.delete(_url(self.contact.pk))

        self.assertEqual(response.status_code, 403)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())

    def test_archived_account_keeps_contact(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.delete(_url(self.contact.pk))

        self.assertEqual(response.status_code, 403)
        self.assertTrue(Contact.objects.filter(pk=self.contact.pk).exists())
