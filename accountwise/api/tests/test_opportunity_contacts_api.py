from django.urls import reverse

from accountwise.test import BaseTestCase, make_account, make_contact, make_opportunity, make_opportunity_contact


class OpportunityContactsApiTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account)
        self.contact = make_contact(self.account, "Smith")
        self.url = reverse("api:v1:opportunity-contacts", args=[self.opportunity.pk])

    def test_member_lists_contacts(self):
        make_opportunity_contact(self.opportunity, self.contact, "champion")
        self.login(self.outsider)

        response = self.client.get(self.url)

        self.assertEqual(response.json(), [{"contact": self.contact.pk, "buying_role": "champion",
                                            "created_at": response.json()[0]["created_at"]}])

    def test_owner_adds_contact(self):
        self.login(self.owner)

        response = self.client.post(self.url, {"contact": self.contact.pk, "buying_role": "user"}, content_type="application/json")

        self.assertEqual(response.status_code, 201)
        self.assertEqual(self.opportunity.opportunity_contacts.get().buying_role, "user")

    def test_contact_elsewhere_is_rejected(self):
        stranger = make_contact(make_account("Globex"))
        self.login(self.owner)

        response = self.client.post(self.url, {"contact": stranger.pk, "buying_role": "user"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("contact", response.json())
        self.assertFalse(self.opportunity.opportunity_contacts.exists())

    def test_outsider_cannot_add(self):
        self.login(self.outsider)

        response = self.client.post(self.url, {"contact": self.contact.pk, "buying_role": "user"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)

    def test_admin_removes_contact(self):
        make_opportunity_contact(self.opportunity, self.contact)
        self.login(self.admin)

        response = self.client.delete(f"{self.url}?contact={self.contact.pk}")

        self.assertEqual(response.status_code, 204)
        self.assertFalse(self.opportunity.opportunity_contacts.exists())
