from unittest import mock

from django.urls import reverse

from accountwise.accounts.forms import AccountForm
from accountwise.accounts.models import Account, AccountType
from accountwise.history.deletion import soft_delete
from accountwise.test import BaseTestCase, make_account, make_user

URL = reverse("accounts:create")


class AccountCreateTests(BaseTestCase):
    def setUp(self):
        self.login(self.owner)

    def _post(self, **fields):
        data = {"name": "Globex", "owner": self.owner.pk, "type": AccountType.NORMAL}
        data.update(fields)
        return self.client.post(URL, data)

    def test_access_for_every_role(self):
        for user in (self.outsider, self.teammate, self.owner, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(URL).status_code, 200)

    def test_outsider_may_create(self):
        self.login(self.outsider)

        self._post(owner=self.outsider.pk)

        self.assertEqual(Account.objects.get(name="Globex").owner, self.outsider)

    def test_owner_defaults_to_current_user(self):
        response = self.client.get(URL)

        self.assertEqual(response.context["form"]["owner"].value(), self.owner.pk)

    def test_create_redirects_with_message(self):
        response = self._post(
            team_members=[self.teammate.pk],
            type=AccountType.STRATEGIC,
            industry="Aerospace",
            country="Germany",
            parent=self.account.pk,
            description="Group headquarters.",
        )

        account = Account.objects.get(name="Globex")
        self.assertRedirects(
            response, reverse("accounts:detail", args=[account.pk]), fetch_redirect_response=False
        )
        self.assertEqual(account.type, AccountType.STRATEGIC)
        self.assertEqual(account.parent, self.account)
        self.assertEqual(list(account.team_members.all()), [self.teammate])
        self.assertEqual(account.industry, "Aerospace")
        page = self.client.get(response["Location"])
        self.assertContains(page, "Account Globex created.")

    def test_duplicate_name_other_case(self):
        response = self._post(name="ACME corporation", industry="Aerospace")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["name"],
            ["An account named Acme Corporation already exists. Choose another name or open "
             "that account."],
        )
        self.assertEqual(Account.objects.count(), 1)
        self.assertContains(response, 'value="Aerospace"')

    def test_duplicate_name_only_error(self):
        response = self._post(name="acme corporation")

        form = response.context["form"]
        self.assertEqual(list(form.errors), ["name"])
        self.assertEqual(form.non_field_errors(), [])

    def test_duplicate_name_after_check(self):
        # Another user saves the same name between the form's checks and the insert.
        with (
            mock.patch.object(AccountForm, "clean_name", lambda form: form.cleaned_data["name"]),
            mock.patch.object(Account, "validate_constraints"),
        ):
            response = self._post(name="acme corporation")

        self.assertEqual(response.status_code, 200)
        self.assertIn("already exists", response.context["form"].errors["name"][0])
        self.assertContains(response, 'class="form-control is-invalid"')
        self.assertEqual(Account.objects.count(), 1)

    def test_name_of_deleted_account(self):
        soft_delete(make_account("Globex"), self.owner)

        response = self._post(name="globex", industry="Energy")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["form"].errors["name"],
            ['An account named "Globex" is in Deleted items. Ask an administrator to restore it, '
             "or choose another name."],
        )
        self.assertContains(response, 'value="Energy"')
        self.assertEqual(Account.all_objects.filter(name__iexact="globex").count(), 1)

    def test_name_of_deleted_account_links_for_admin(self):
        soft_delete(make_account("Globex"), self.owner)
        self.login(self.admin)

        response = self._post(name="Globex")

        self.assertContains(
            response,
            '<div class="invalid-feedback d-block">An account named "Globex" is in '
            f'<a href="{reverse("history:deleted-items")}">Deleted items</a>. '
            "Restore it, or choose another name.</div>",
            html=True,
        )

    def test_name_of_deleted_account_after_check(self):
        # The account is deleted under the same name between the form's checks and the insert.
        soft_delete(make_account("Globex"), self.owner)
        with (
            mock.patch.object(AccountForm, "clean_name", lambda form: form.cleaned_data["name"]),
            mock.patch.object(Account, "validate_constraints"),
        ):
            response = self._post(name="globex")

        self.assertEqual(response.status_code, 200)
        self.assertIn("is in Deleted items", response.context["form"].errors["name"][0])
        self.assertEqual(Account.all_objects.filter(name__iexact="globex").count(), 1)

    def test_name_stripped(self):
        self._post(name="  Globex  ")

        self.assertTrue(Account.objects.filter(name="Globex").exists())

    def test_invalid_website(self):
        response = self._post(website="not a web address")

        self.assertEqual(response.context["form"].errors["website"], ["Enter a valid URL."])
        self.assertFalse(Account.objects.filter(name="Globex").exists())

    def test_website_without_scheme(self):
        self._post(website="globex.example")

        self.assertEqual(Account.objects.get(name="Globex").website, "https://globex.example")

    def test_missing_name(self):
        response = self._post(name="")

        self.assertIn("name", response.context["form"].errors)
        self.assertEqual(Account.objects.count(), 1)

    def test_inactive_users_not_offered(self):
        make_user("gone", is_active=False)

        response = self.client.get(URL)

        form = response.context["form"]
        self.assertNotIn("gone", [user.username for user in form.fields["owner"].queryset])
        self.assertNotIn("gone", [user.username for user in form.fields["team_members"].queryset])

    def test_get_only_and_post(self):
        response = self.client.delete(URL)

        self.assertEqual(response.status_code, 405)
