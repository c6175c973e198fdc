from django.urls import reverse

from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.tests.support import WizardTestCase


class ImportCancelTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(self.owner, "name\nGlobex\n")
        self.url = reverse("transfer:import-cancel", args=[self.run.pk])

    def test_draft_and_file_deleted(self):
        storage, name = self.run.file.storage, self.run.file.name
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertRedirects(response, reverse("transfer:import-start"))
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(storage.exists(name))

    def test_started_run_kept(self):
        ImportRun.objects.filter(pk=self.run.pk).update(status=ImportStatus.DONE)
        self.login(self.owner)

        self.client.post(self.url)

        self.assertTrue(ImportRun.objects.filter(pk=self.run.pk).exists())

    def test_other_member_gets_404(self):
        self.login(self.teammate)

        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.assertTrue(ImportRun.objects.exists())
