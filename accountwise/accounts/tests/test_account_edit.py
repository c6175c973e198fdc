from django.urls import reverse

from accountwise.accounts.models import AccountStatus, AccountType
from accountwise.history.deletion import soft_delete
from accountwise.test import BaseTestCase, make_account, make_user


class AccountEditTests(BaseTestCase):
    def setUp(self):
        self.url = reverse("accounts:edit", args=[self.account.pk])
        self.login(self.owner)

    def _post(self, **fields):
        data = {
            "name": self.account.name,
            "owner": self.owner.pk,
            "team_members": [self.teammate.pk],
            "type": AccountType.NORMAL,
        }
        data.update(fields)
        return self.client.post(self.url, data)

    def test_outsider_forbidden(self):
        self.login(self.outsider)

        get = self.client.get(self.url)
        post = self._post(industry="Hacked")

        self.assertEqual(get.status_code, 403)
        self.assertEqual(post.status_code, 403)
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "")

    def test_team_and_admin_may_edit(self):
        for user in (self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, 200)
                response = self._post(industry=f"Set by {user.username}")
                self.assertRedirects(response, reverse("accounts:detail", args=[self.account.pk]))
                self.account.refresh_from_db()
                self.assertEqual(self.account.industry, f"Set by {user.username}")

    def test_missing_account_not_found(self):
        response = self.client.get(reverse("accounts:edit", args=[9999]))

        self.assertEqual(response.status_code, 404)

    def test_edit_saves_with_message(self):
        response = self._post(country="Spain", website="https://acme.example", team_members=[])

        self.account.refresh_from_db()
        self.assertEqual(self.account.country, "Spain")
        self.assertEqual(self.account.website, "https://acme.example")
        self.assertEqual(list(self.account.team_members.all()), [])
        page = self.client.get(response["Location"])
        self.assertContains(page, "Account Acme Corporation saved.")

    def test_rename_changing_case_only(self):
        self._post(name="ACME Corporation")

        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "ACME Corporation")

    def test_duplicate_name_other_account(self):
        make_account("Globex")

        response = self._post(name="GLOBEX")

        self.assertIn("An account named Globex already exists", response.context["form"].errors["name"][0])
        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "Acme Corporation")

    def test_rename_to_deleted_account_name(self):
        soft_delete(make_account("Globex"), self.owner)

        response = self._post(name="Globex", industry="Energy")

        self.assertEqual(
            response.context["form"].errors["name"],
            ['An account named "Globex" is in Deleted items. Ask an administrator to restore it, '
             "or choose another name."],
        )
        self.assertContains(response, 'value="Energy"')
        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "Acme Corporation")

    def test_heading_keeps_saved_name(self):
        response = self._post(name="Renamed", website="bad website")

        self.assertContains(response, "<h1>Edit Acme Corporation</h1>", html=True)
        self.assertContains(response, 'value="Renamed"')

    def test_parent_cycle_rejected(self):
        subsidiary = make_account("Acme Europe", parent=self.account)
        grandchild = make_account("Acme Spain", parent=subsidiary)

        response = self._post(parent=grandchild.pk)

        self.assertEqual(
            response.context["form"].errors["parent"],
            ["Acme Spain is already a subsidiary of Acme Corporation; choose a parent outside "
             "this group."],
        )
        self.account.refresh_from_db()
        self.assertIsNone(self.account.parent)

    def test_own_parent_not_offered(self):
        response = self.client.get(self.url)

        parents = response.context["form"].fields["parent"].queryset
        self.assertNotIn(self.account, parents)

    def test_own_parent_rejected(self):
        response = self._post(parent=self.account.pk)

        self.assertIn("parent", response.context["form"].errors)

    def test_inactive_owner_kept_valid(self):
        former = make_user("former", is_active=False)
        self.account.owner = former
        self.account.save()
        self.login(self.admin)

        response = self._post(owner=former.pk, industry="Retail")

        self.assertEqual(response.status_code, 302)
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "Retail")

    def test_archived_account_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()

        response = self._post(industry="Retail")

        self.assertRedirects(
            response,
            reverse("accounts:detail", args=[self.account.pk]),
            fetch_redirect_response=False,
        )
        self.account.refresh_from_db()
        self.assertEqual(self.account.industry, "")
        page = self.client.get(response["Location"])
        self.assertContains(page, "is archived, so it cannot be changed. Restore it first.")
