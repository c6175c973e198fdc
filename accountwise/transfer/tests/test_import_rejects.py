from django.core.files.base import ContentFile
from django.urls import reverse

from accountwise.transfer.models import ImportStatus
from accountwise.transfer.tests.export_support import content_of
from accountwise.transfer.tests.support import WizardTestCase

REJECTS = "\ufeffname,error\nGlobex,name: bad\n".encode()


class ImportRejectsTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(self.owner, "name\nGlobex\n", name="customers.csv", status=ImportStatus.DONE)
        self.run.rejects_file.save("customers-rejects.csv", ContentFile(REJECTS))
        self.url = reverse("transfer:import-rejects", args=[self.run.pk])

    def test_creator_downloads(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertEqual(content_of(response), REJECTS)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="customers-rejects.csv"')
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")

    def test_not_cached(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def test_administrator_downloads(self):
        self.login(self.admin)

        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_other_member_gets_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_run_without_rejects_gets_404(self):
        run = self.make_run(self.owner, "name\nGlobex\n", status=ImportStatus.DONE)
        self.login(self.owner)

        self.assertEqual(self.client.get(reverse("transfer:import-rejects", args=[run.pk])).status_code, 404)

    def test_storage_not_served_publicly(self):
        self.login(self.owner)

        response = self.client.get("/media/" + self.run.rejects_file.name)

        self.assertEqual(response.status_code, 404)
