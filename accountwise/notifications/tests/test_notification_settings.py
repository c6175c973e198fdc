from django.urls import reverse

from accountwise.notifications.models import NotificationPreference
from accountwise.test import BaseTestCase

URL = reverse("notifications:settings")


class NotificationSettingsTests(BaseTestCase):
    def test_every_user_may_open(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(URL)

                self.assertEqual(response.status_code, 200)

    def test_both_channels_on_by_default(self):
        self.login(self.owner)

        response = self.client.get(URL)

        form = response.context["form"]
        self.assertTrue(form["in_app"].value())
        self.assertTrue(form["email"].value())
        self.assertContains(response, "E-mails go to bob@example.com.")

    def test_saves_choice(self):
        self.login(self.owner)

        response = self.client.post(URL, {"in_app": "on"}, follow=True)

        preference = NotificationPreference.objects.get(user=self.owner)
        self.assertTrue(preference.in_app)
        self.assertFalse(preference.email)
        self.assertContains(response, "Notification settings saved.")

    def test_changes_saved_choice(self):
        NotificationPreference.objects.create(user=self.owner, in_app=False, email=False)
        self.login(self.owner)

        self.client.post(URL, {"in_app": "on", "email": "on"})

        preference = NotificationPreference.objects.get(user=self.owner)
        self.assertTrue(preference.in_app)
        self.assertTrue(preference.email)

    def test_only_own_choice_changes(self):
        self.login(self.owner)

        self.client.post(URL, {"email": "on"})

        self.assertEqual(list(NotificationPreference.objects.values_list("user", flat=True)), [self.owner.pk])

    def test_warns_without_email(self):
        self.owner.email = ""
        self.owner.save()
        self.login(self.owner)

        response = self.client.get(URL)

        self.assertContains(response, "Your user has no e-mail address")

    def test_reachable_from_user_menu(self):
        self.login(self.owner)

        response = self.client.get(reverse("accounts:list"))

        self.assertContains(response, f'href="{URL}"')
