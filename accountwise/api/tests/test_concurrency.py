from django.urls import reverse

from accountwise.test import BaseTestCase, make_contact


class IfMatchTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("api:v1:account-detail", args=[self.account.pk])
        self.login(self.owner)

    def test_current_etag_allows_update(self):
        etag = self.client.get(self.url)["ETag"]

        response = self.client.patch(self.url, {"industry": "Retail"}, content_type="application/json", headers={"If-Match": etag})

        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_stale_etag_gets_412(self):
        etag = self.client.get(self.url)["ETag"]
        self.client.patch(self.url, {"industry": "Retail"}, content_type="application/json")

        response = self.client.patch(self.url, {"industry": "Banking"}, content_type="application/json", headers={"If-Match": etag})

        self.assertEqual(response.status_code, 412)
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Retail")

    def test_stale_etag_keeps_contact(self):
        contact = make_contact(self.account)
        url = reverse("api:v1:contact-detail", args=[contact.pk])
        etag = self.client.get(url)["ETag"]
        self.client.patch(url, {"job_title": "CFO"}, content_type="application/json")

        response = self.client.delete(url, headers={"If-Match": etag})

        self.assertEqual(response.status_code, 412)
        contact.refresh_from_db()

    def test_no_if_match_overwrites(self):
        response = self.client.patch(self.url, {"industry": "Retail"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
