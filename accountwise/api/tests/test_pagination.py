from django.urls import reverse

from accountwise.documents.tests.support import make_link_document
from accountwise.test import BaseTestCase, make_contact, make_contract, make_opportunity, make_plan, make_plan_action


class CursorPaginationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for _ in range(3):
            make_contact(cls.account)
            make_contract(cls.account)
            make_opportunity(cls.account)
            plan = make_plan(cls.account)
            make_plan_action(plan)
            make_link_document(cls.account)

    def _walk(self, name: str) -> list[int]:
        """Follow `next` from the first page of 2 and return the ids in the order seen."""
        ids, url, data = [], reverse(f"api:v1:{name}-list"), {"page_size": 2}
        while url:
            body = self.client.get(url, data).json()
            ids += [item["id"] for item in body["results"]]
            url, data = body["next"], None
        return ids

    def test_every_list_pages_through(self):
        self.login(self.outsider)

        for name in ("contact", "contract", "opportunity", "plan", "plan-action", "document"):
            with self.subTest(name=name):
                ids = self._walk(name)
                self.assertEqual(len(ids), 3)
                self.assertEqual(ids, sorted(ids, reverse=True))

    def test_ordering_changes_order(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:v1:contract-list"), {"ordering": "id"})

        ids = [item["id"] for item in response.json()["results"]]
        self.assertEqual(ids, sorted(ids))

    def test_bad_cursor_is_404(self):
        self.login(self.outsider)

        response = self.client.get(reverse("api:v1:contract-list"), {"cursor": "junk"})

        self.assertEqual(response.status_code, 404)
