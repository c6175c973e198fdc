from django.urls import reverse

from accountwise.accounts.models import Account, AccountStatus
from accountwise.history.deletion import soft_delete
from accountwise.test import BaseTestCase, make_account


def _url(pk: int | None = None) -> str:
    return reverse("api:v1:account-detail", args=[pk]) if pk else reverse("api:v1:account-list")


class AccountsApiTests(BaseTestCase):
    def test_anonymous_gets_401(self):
        response = self.client.get(_url())
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_list_shows_active_accounts(self):
        make_account("Globex", status=AccountStatus.ARCHIVED)
        self.login(self.outsider)

        response = self.client.get(_url())

        self.assertEqual(response.status_code, 200)
        self.assertEqual([a["name"] for a in response.json()["results"]], ["Acme Corporation"])

    def test_list_uses_account_filter(self):
        make_account("Globex", status=AccountStatus.ARCHIVED, industry="Chemicals")
        self.login(self.outsider)

        response = self.client.get(_url(), {"status": "all", "q": "chemic"})

        self.assertEqual([a["name"] for a in response.json()["results"]], ["Globex"])

    def test_list_runs_fixed_queries(self):
        for number in range(5):
            make_account(f"Extra {number}", team=[self.teammate])
        self.login(self.outsider)

        # Session, user, custom-field definitions, page of accounts, their team members.
        with self.assertNumQueries(5):
            self.client.get(_url())

    def test_pages_follow_cursor(self):
        for number in range(4):
            make_account(f"Extra {number}")
        self.login(self.outsider)

        first = self.client.get(_url(), {"page_size": 3}).json()
        second = self.client.get(first["next"]).json()

        names = [a["name"] for a in first["results"] + second["results"]]
        self.assertEqual(len(names), 5)
        self.assertEqual(len(set(names)), 5)
        self.assertIsNone(second["next"])

    def test_retrieve_finds_archived_account(self):
        archived = make_account("Globex", status=AccountStatus.ARCHIVED)
        self.login(self.outsider)

        response = self.client.get(_url(archived.pk))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "archived")
        self.assertTrue(response["ETag"])

    def test_member_creates_owned_account(self):
        self.login(self.outsider)

        response = self.client.post(_url(), {"name": "Initech", "website": "initech.example"}, content_type="application/json")

        self.assertEqual(response.status_code, 201)
        account = Account.objects.get(name="Initech")
        self.assertEqual(account.owner, self.outsider)
        self.assertEqual(account.website, "https://initech.example")

    def test_duplicate_name_is_rejected(self):
        self.login(self.outsider)

        response = self.client.post(_url(), {"name": "ACME corporation"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())

    def test_name_of_deleted_account_is_rejected(self):
        soft_delete(make_account("Globex"), self.owner)
        self.login(self.admin)

        response = self.client.post(_url(), {"name": "globex"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            response.json(),
            {"name": ['An account named "Globex" is in Deleted items. Restore it, or choose another name.']},
        )
        self.assertEqual(Account.all_objects.filter(name__iexact="globex").count(), 1)

    def test_rename_to_deleted_account_name_is_rejected(self):
        soft_delete(make_account("Globex"), self.owner)
        self.login(self.owner)

        response = self.client.patch(_url(self.account.pk), {"name": "Globex"}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("Ask an administrator to restore it", response.json()["name"][0])
        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "Acme Corporation")

    def test_own_parent_is_rejected(self):
        self.login(self.owner)

        response = self.client.patch(_url(self.account.pk), {"parent": self.account.pk}, content_type="application/json")

        self.assertEqual(response.status_code, 400)
        self.assertIn("parent", response.json())

    def test_owner_renames_account(self):
        self.login(self.owner)

        response = self.client.patch(_url(self.account.pk), {"name": "Acme Inc"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)
        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "Acme Inc")
        self.assertEqual(self.account.owner, self.owner)
        self.assertEqual(list(self.account.team_members.all()), [self.teammate])

    def test_admin_renames_account(self):
        self.login(self.admin)

        response = self.client.patch(_url(self.account.pk), {"name": "Acme Inc"}, content_type="application/json")

        self.assertEqual(response.status_code, 200)

    def test_outsider_cannot_change(self):
        self.login(self.outsider)

        response = self.client.patch(_url(self.account.pk), {"name": "Mine"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.account.refresh_from_db()
        self.assertEqual(self.account.name, "Acme Corporation")

    def test_archived_account_is_read_only(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.patch(_url(self.account.pk), {"name": "Acme Inc"}, content_type="application/json")

        self.assertEqual(response.status_code, 403)
        self.assertIn("archived", response.json()["detail"])

    def test_owner_archives_account(self):
        self.login(self.owner)

        response = self.client.post(reverse("api:v1:account-archive", args=[self.account.pk]))

        self.assertEqual(response.status_code, 200)
        self.account.refresh_from_db()
        self.assertTrue(self.account.is_archived)

    def test_outsider_cannot_archive(self):
        self.login(self.outsider)

        response = self.client.post(reverse("api:v1:account-archive", args=[self.account.pk]))

        self.assertEqual(response.status_code, 403)
        self.account.refresh_from_db()
        self.assertFalse(self.account.is_archived)

    def test_owner_restores_account(self):
        self.account.status = AccountStatus.ARCHIVED
        self.account.save()
        self.login(self.owner)

        response = self.client.post(reverse("api:v1:account-restore", args=[self.account.pk]))

        self.assertEqual(response.status_code, 200)
        self.account.refresh_from_db()
        self.assertFalse(self.account.is_archived)

    def test_delete_is_not_offered(self):
        self.login(self.admin)

        response = self.client.delete(_url(self.account.pk))

        self.assertEqual(response.status_code, 405)

    def test_unknown_account_is_404(self):
        self.login(self.owner)

        response = self.client.get(_url(999999))

        self.assertEqual(response.status_code, 404)
