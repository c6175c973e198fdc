from django.urls import reverse

from accountwise.opportunities.models import Stage, StageKind
from accountwise.test import BaseTestCase, make_opportunity, stage


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:stage-detail", args=[pk]) if pk else reverse("api:v1:stage-list")


class StagesApiTests(BaseTestCase):
    def test_member_reads_stages_in_order(self):
        self.login(self.outsider)

        response = self.client.get(_url())

        positions = [s["position"] for s in response.json()]
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(len(positions), Stage.objects.count())

    def test_member_cannot_add_stage(self):
        self.login(self.owner)

        response = self.client.post(_url(), {"name": "Pilot", "probability": 40}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.assertFalse(Stage.objects.filter(name="Pilot").exists())

    def test_admin_adds_open_stage(self):
        self.login(self.admin)

        response = self.client.post(_url(), {"name": "Pilot", "probability": 40}, content_type="application/json")

        self.assertEqual(response.status_code, 201)
        pilot = Stage.objects.get(name="Pilot")
        self.assertEqual(pilot.kind, StageKind.OPEN)
        self.assertLess(pilot.position, stage(StageKind.ON_HOLD).position)

    def test_duplicate_name_is_named(self):
        self.login(self.admin)

        response = self.client.post(_url(), {"name": "proposal", "probability": 40}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())

    def test_admin_retires_stage(self):
        self.login(self.admin)

        response = self.client.patch(_url(stage("Proposal").pk), {"is_retired": True}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.assertTrue(stage("Proposal").is_retired)

    def test_fixed_stage_cannot_retire(self):
        self.login(self.admin)

        response = self.client.patch(_url(stage(StageKind.WON).pk), {"is_retired": True}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("is_retired", response.json())
        self.assertFalse(stage(StageKind.WON).is_retired)

    def test_stage_in_use_is_kept(self):
        make_opportunity(self.account, stage=stage("Proposal"))
        self.login(self.admin)

        response = self.client.delete(_url(stage("Proposal").pk))

        self.assertEqual(response.status_code, 400)
        self.assertTrue(Stage.objects.filter(name="Proposal").exists())

    def test_admin_deletes_unused_stage(self):
        unused = stage("Proposal")
        self.login(self.admin)

        response = self.client.delete(_url(unused.pk))

        self.assertEqual(response.status_code, 204)
        self.assertFalse(Stage.objects.filter(pk=unused.pk).exists())
