from accountwise.test import PASSWORD, BaseTestCase
from accountwise.users.models import Role, User


class UserListTests(BaseTestCase):
    def test_administrator_sees_users(self):
        self.login(self.admin)

        response = self.client.get("/users/")

        self.assertContains(response, "bob")
        self.assertContains(response, "dave")

    def test_member_is_forbidden(self):
        self.login(self.owner)

        self.assertEqual(self.client.get("/users/").status_code, 403)

    def test_query_count_is_fixed(self):
        self.login(self.admin)
        self.client.get("/users/")

        # Session, user, users, organisation, unread notifications for the bell.
        with self.assertNumQueries(5):
            self.client.get("/users/")
        for number in range(10):
            User.objects.create_user(f"extra{number}")
        with self.assertNumQueries(5):
            self.client.get("/users/")


class UserCreateTests(BaseTestCase):
    def valid_data(self, **changes):
        data = {
            "username": "erin",
            "first_name": "Erin",
            "last_name": "Ng",
            "email": "erin@example.com",
            "role": Role.ACCOUNT_MANAGER,
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        }
        return {**data, **changes}

    def test_administrator_creates_member(self):
        self.login(self.admin)

        response = self.client.post("/users/new/", self.valid_data())

        self.assertRedirects(response, "/users/")
        erin = User.objects.get(username="erin")
        self.assertEqual(erin.role, Role.ACCOUNT_MANAGER)
        self.assertTrue(erin.check_password("a-long-unusual-passphrase"))

    def test_mismatched_passwords_keep_input(self):
        self.login(self.admin)

        response = self.client.post("/users/new/", self.valid_data(password2="something-else-entirely"))

        self.assertContains(response, "The two password fields didn’t match.")
        self.assertContains(response, 'value="erin@example.com"')
        self.assertFalse(User.objects.filter(username="erin").exists())

    def test_weak_password_rejected(self):
        self.login(self.admin)

        response = self.client.post("/users/new/", self.valid_data(password1="123", password2="123"))

        self.assertContains(response, "This password is too short.")

    def test_member_is_forbidden(self):
        self.login(self.owner)

        response = self.client.post("/users/new/", self.valid_data())

        self.assertEqual(response.status_code, 403)
        self.assertFalse(User.objects.filter(username="erin").exists())


class UserEditTests(BaseTestCase):
    def post(self, user, **changes):
        data = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "is_active": "on" if user.is_active else "",
        }
        return self.client.post(f"/users/{user.pk}/", {**data, **changes})

    def test_administrator_promotes_member(self):
        self.login(self.admin)

        self.post(self.owner, role=Role.ADMINISTRATOR)

        self.owner.refresh_from_db()
        self.assertEqual(self.owner.role, Role.ADMINISTRATOR)

    def test_deactivated_user_cannot_log_in(self):
        self.login(self.admin)

        self.post(self.outsider, is_active="")

        self.outsider.refresh_from_db()
        self.assertFalse(self.outsider.is_active)
        self.client.logout()
        self.assertFalse(self.client.login(username="dave", password=PASSWORD))

    def test_cannot_deactivate_self(self):
        self.login(self.admin)

        response = self.post(self.admin, is_active="")

        self.assertContains(response, "You cannot deactivate your own user.")
        self.admin.refresh_from_db()
        self.assertTrue(self.admin.is_active)

    def test_cannot_demote_self(self):
        self.login(self.admin)

        response = self.post(self.admin, role=Role.ACCOUNT_MANAGER)

        self.assertContains(response, "You cannot change your own role")
        self.admin.refresh_from_db()
        self.assertEqual(self.admin.role, Role.ADMINISTRATOR)

    def test_member_is_forbidden(self):
        self.login(self.owner)

        response = self.post(self.owner, role=Role.ADMINISTRATOR)

        self.assertEqual(response.status_code, 403)
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.role, Role.ACCOUNT_MANAGER)

    def test_unknown_user_is_404(self):
        self.login(self.admin)

        self.assertEqual(self.client.get("/users/999999/").status_code, 404)


class SetPasswordTests(BaseTestCase):
    def test_administrator_sets_password(self):
        self.login(self.admin)

        response = self.client.post(
            f"/users/{self.owner.pk}/password/",
            {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
        )

        self.assertRedirects(response, "/users/")
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password("another-long-passphrase"))

    def test_member_is_forbidden(self):
        self.login(self.owner)

        response = self.client.post(
            f"/users/{self.teammate.pk}/password/",
            {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
        )

        self.assertEqual(response.status_code, 403)


class PasswordChangeTests(BaseTestCase):
    def test_member_changes_own_password(self):
        self.login(self.owner)

        response = self.client.post(
            "/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "my-new-long-passphrase",
                "new_password2": "my-new-long-passphrase",
            },
        )

        self.assertRedirects(response, "/password/changed/", fetch_redirect_response=False)
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password("my-new-long-passphrase"))

    def test_wrong_old_password_rejected(self):
        self.login(self.owner)

        response = self.client.post(
            "/password/",
            {
                "old_password": "wrong",
                "new_password1": "my-new-long-passphrase",
                "new_password2": "my-new-long-passphrase",
            },
        )

        self.assertContains(response, "Your old password was entered incorrectly.")


class CreateSuperuserTests(BaseTestCase):
    def test_superuser_gets_administrator_role(self):
        user = User.objects.create_superuser("root", "root@example.com", "a-long-passphrase")

        self.assertEqual(user.role, Role.ADMINISTRATOR)
        self.assertTrue(user.is_administrator)
