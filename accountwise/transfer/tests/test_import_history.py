from django.core.files.base import ContentFile
from django.urls import reverse

from accountwise.transfer.models import ImportStatus
from accountwise.transfer.tests.support import WizardTestCase

URL = reverse("transfer:import-history")


class ImportHistoryTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.mine = self.make_run(self.owner, "name\nGlobex\n", name="mine.csv", status=ImportStatus.DONE,
                                  created_count=7, updated_count=3, unchanged_count=2, rejected_count=1)
        self.theirs = self.make_run(self.teammate, "name\nGlobex\n", name="theirs.csv", status=ImportStatus.INVALID)

    def test_member_sees_own_imports(self):
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertEqual(list(response.context["runs"]), [self.mine])
        self.assertNotContains(response, "theirs.csv")

    def test_administrator_sees_every_import(self):
        self.login(self.admin)

        response = self.client.get(URL)

        self.assertEqual(list(response.context["runs"]), [self.theirs, self.mine])
        self.assertContains(response, "<th>Who</th>", html=True)

    def test_counts_shown(self):
        self.login(self.owner)

        response = self.client.get(URL)

        for count in ("7", "3", "2", "1"):
            self.assertContains(response, f'<td class="aw-number">{count}</td>', html=True)

    def test_rejects_link_shown(self):
        self.mine.rejects_file.save("r.csv", ContentFile(b"x"))
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertContains(response, reverse("transfer:import-rejects", args=[self.mine.pk]))

    def test_empty_state(self):
        self.login(self.outsider)

        response = self.client.get(URL)

        self.assertContains(response, "No imports yet.")

    def test_paginated(self):
        for index in range(30):
            self.make_run(self.owner, "name\nGlobex\n", name=f"file{index}.csv")
        self.login(self.owner)

        response = self.client.get(URL + "?page=2")

        self.assertEqual(len(response.context["runs"]), 6)
        self.assertContains(response, "Page 2 of 2")

    def test_fixed_number_of_queries(self):
        for index in range(5):
            self.make_run(self.teammate, "name\nGlobex\n", name=f"file{index}.csv")
        self.login(self.admin)
        self.client.get(URL)

        with self.assertNumQueries(6):
            self.client.get(URL)
