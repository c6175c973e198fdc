from accountwise.test import BaseTestCase


class LogoutTests(BaseTestCase):
    def test_get_asks_for_confirmation(self):
        self.login(self.owner)

        response = self.client.get("/logout/")

        self.assertContains(response, "Log out of Accountwise on this browser?")
        self.assertIn("_auth_user_id", self.client.session)

    def test_post_logs_out(self):
        self.login(self.owner)

        response = self.client.post("/logout/")

        self.assertRedirects(response, "/login/")
        self.assertNotIn("_auth_user_id", self.client.session)
