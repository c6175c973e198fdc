import datetime

from django.urls import reverse
from django.utils import timezone

from accountwise.transfer.models import ImportRun, ImportStatus
from accountwise.transfer.tests.support import WizardTestCase


class ImportRestartTests(WizardTestCase):
    def setUp(self):
        super().setUp()
        self.run = self.make_run(self.owner, "name\nGlobex\n", status=ImportStatus.RUNNING)
        self.url = reverse("transfer:import-restart", args=[self.run.pk])

    def make_stale(self):
        ImportRun.objects.filter(pk=self.run.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))

    def test_stale_run_queued_again(self):
        self.make_stale()
        self.login(self.owner)

        response = self.client.post(self.url)

        self.assertRedirects(response, reverse("transfer:import-result", args=[self.run.pk]))
        self.run.refresh_from_db()
        self.assertEqual(self.run.status, ImportStatus.QUEUED)

    def test_live_run_left_alone(self):
        self.login(self.owner)

        self.client.post(self.url)

        self.run.refresh_from_db()
        self.assertEqual(self.run.status, ImportStatus.RUNNING)

    def test_other_member_gets_404(self):
        self.make_stale()
        self.login(self.teammate)

        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.run.refresh_from_db()
        self.assertEqual(self.run.status, ImportStatus.RUNNING)
