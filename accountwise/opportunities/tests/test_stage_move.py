from django.urls import reverse

from accountwise.opportunities.models import Stage
from accountwise.test import BaseTestCase, stage


def _names() -> list[str]:
    return list(Stage.objects.values_list("name", flat=True))


class StageMoveTests(BaseTestCase):
    def _move(self, name: str, direction: str):
        return self.client.post(reverse("stages:move", args=[stage(name).pk]), {"direction": direction})

    def test_members_forbidden(self):
        before = _names()
        for user in (self.owner, self.teammate, self.outsider):
            with self.subTest(user=user.username):
                self.login(user)

                response = self._move("Proposal", "up")

                self.assertEqual(response.status_code, 403)
                self.assertEqual(_names(), before)

    def test_move_up(self):
        self.login(self.admin)

        response = self._move("Proposal", "up")

        self.assertRedirects(response, reverse("stages:list"), fetch_redirect_response=False)
        self.assertEqual(_names()[:5], ["Prospecting", "Qualification", "Proposal", "Needs analysis", "Negotiation"])

    def test_move_down(self):
        self.login(self.admin)

        self._move("Prospecting", "down")

        self.assertEqual(_names()[:2], ["Qualification", "Prospecting"])

    def test_last_open_stays_before_fixed(self):
        self.login(self.admin)

        self._move("Negotiation", "down")

        self.assertEqual(_names()[4:], ["Negotiation", "On hold", "Closed won", "Closed lost"])

    def test_first_open_up_changes_nothing(self):
        before = _names()
        self.login(self.admin)

        self._move("Prospecting", "up")

        self.assertEqual(_names(), before)

    def test_fixed_stage_refused(self):
        before = _names()
        self.login(self.admin)

        response = self.client.post(
            reverse("stages:move", args=[stage("won").pk]), {"direction": "up"}, follow=True
        )

        self.assertContains(response, "cannot be moved")
        self.assertEqual(_names(), before)

    def test_unknown_direction_refused(self):
        before = _names()
        self.login(self.admin)

        response = self.client.post(
            reverse("stages:move", args=[stage("Proposal").pk]), {"direction": "sideways"}, follow=True
        )

        self.assertContains(response, "Choose whether to move the stage up or down.")
        self.assertEqual(_names(), before)
