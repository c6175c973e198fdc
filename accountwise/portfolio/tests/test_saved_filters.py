from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse

from accountwise.portfolio.models import SavedFilter
from accountwise.test import BaseTestCase, make_account, make_contract


def make_saved_filter(owner, name: str = "Big deals", entity: str = "contracts", **fields) -> SavedFilter:
    fields.setdefault("params", {"status": ["active"], "value_min": ["500"]})
    return SavedFilter.objects.create(owner=owner, name=name, entity=entity, **fields)


class SavedFilterCreateTests(BaseTestCase):
    url = reverse("portfolio:saved-filter-create")

    def test_member_saves_own_filter(self):
        self.login(self.owner)

        response = self.client.post(
            self.url, {"entity": "contracts", "name": " Renewals  soon ", "query": "status=active&ends_within=90&page=3"}
        )

        saved = SavedFilter.objects.get()
        self.assertEqual(saved.name, "Renewals soon")
        self.assertEqual(saved.owner, self.owner)
        self.assertFalse(saved.is_shared)
        self.assertEqual(saved.params, {"status": ["active"], "ends_within": ["90"]})
        self.assertRedirects(response, f"{reverse('portfolio:contracts')}?status=active&ends_within=90&saved={saved.pk}")

    def test_member_cannot_share(self):
        self.login(self.owner)

        self.client.post(self.url, {"entity": "contracts", "name": "Mine", "query": "status=all", "is_shared": "on"})

        self.assertFalse(SavedFilter.objects.get().is_shared)

    def test_administrator_publishes(self):
        self.login(self.admin)

        self.client.post(self.url, {"entity": "opportunities", "name": "Pipeline", "query": "status=active", "is_shared": "on"})

        self.assertTrue(SavedFilter.objects.get().is_shared)

    def test_duplicate_name_is_named(self):
        make_saved_filter(self.owner, "Big deals")
        self.login(self.owner)

        response = self.client.post(self.url, {"entity": "contracts", "name": "big DEALS", "query": "status=all"})

        self.assertContains(response, "You already have a saved filter named")
        self.assertEqual(SavedFilter.objects.count(), 1)

    def test_same_name_for_another_entity_or_user(self):
        make_saved_filter(self.owner, "Big deals")
        make_saved_filter(self.teammate, "Big deals")
        self.login(self.owner)

        self.client.post(self.url, {"entity": "opportunities", "name": "Big deals", "query": "status=all"})

        self.assertEqual(SavedFilter.objects.count(), 3)

    def test_empty_filter_is_not_saved(self):
        self.login(self.owner)

        response = self.client.post(self.url, {"entity": "contracts", "name": "Nothing", "query": "page=2"})

        self.assertContains(response, "No filter to save")
        self.assertFalse(SavedFilter.objects.exists())

    def test_account_filter_is_saved_from_session(self):
        self.login(self.owner)
        self.client.post(reverse("portfolio:account-filter"), {"country": "France"})

        self.client.post(self.url, {"entity": "accounts", "name": "France"})

        self.assertEqual(SavedFilter.objects.get().params, {"country": ["France"]})

    def test_unknown_entity_is_404(self):
        self.login(self.owner)

        response = self.client.post(self.url, {"entity": "plans", "name": "x"})

        self.assertEqual(response.status_code, 404)

    def test_database_rejects_duplicate_name(self):
        make_saved_filter(self.owner, "Big deals")

        with self.assertRaises(IntegrityError), transaction.atomic():
            make_saved_filter(self.owner, "BIG DEALS")


class SavedFilterPermissionTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = make_saved_filter(cls.owner, "Bob's")
        cls.others = make_saved_filter(cls.teammate, "Charlie's")
        cls.shared = make_saved_filter(cls.admin, "Everyone's", is_shared=True)

    def test_list_shows_own_and_shared(self):
        self.login(self.owner)

        response = self.client.get(reverse("portfolio:saved-filters"), {"entity": "contracts"})

        names = [item["filter"].name for item in response.context["saved_filters"]]
        self.assertEqual(names, ["Everyone's", "Bob's"])

    def test_member_renames_own(self):
        self.login(self.owner)

        self.client.post(reverse("portfolio:saved-filter-edit", args=[self.own.pk]), {"name": "Renamed"})

        self.own.refresh_from_db()
        self.assertEqual(self.own.name, "Renamed")

    def test_member_cannot_rename_shared(self):
        self.login(self.owner)

        response = self.client.post(reverse("portfolio:saved-filter-edit", args=[self.shared.pk]), {"name": "Mine now"})

        self.assertEqual(response.status_code, 403)
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "Everyone's")

    def test_member_cannot_delete_shared(self):
        self.login(self.owner)

        response = self.client.post(reverse("portfolio:saved-filter-delete", args=[self.shared.pk]))

        self.assertEqual(response.status_code, 403)
        self.assertTrue(SavedFilter.objects.filter(pk=self.shared.pk).exists())

    def test_member_cannot_see_others_personal(self):
        self.login(self.owner)

        rename = self.client.post(reverse("portfolio:saved-filter-edit", args=[self.others.pk]), {"name": "x"})
        delete = self.client.post(reverse("portfolio:saved-filter-delete", args=[self.others.pk]))
        apply = self.client.post(reverse("portfolio:saved-filter-apply", args=[self.others.pk]))

        self.assertEqual((rename.status_code, delete.status_code, apply.status_code), (404, 404, 404))
        self.assertTrue(SavedFilter.objects.filter(pk=self.others.pk).exists())

    def test_administrator_manages_shared(self):
        other_admin = self.admin.__class__.objects.create_user("fiona", password="x", role=self.admin.role)
        self.client.force_login(other_admin)

        self.client.post(reverse("portfolio:saved-filter-edit", args=[self.shared.pk]), {"name": "Team view", "is_shared": "on"})
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "Team view")

        self.client.post(reverse("portfolio:saved-filter-delete", args=[self.shared.pk]))
        self.assertFalse(SavedFilter.objects.filter(pk=self.shared.pk).exists())

    def test_administrator_cannot_touch_members_personal(self):
        self.login(self.admin)

        response = self.client.post(reverse("portfolio:saved-filter-delete", args=[self.own.pk]))

        self.assertEqual(response.status_code, 404)

    def test_member_deletes_own(self):
        self.login(self.owner)

        self.client.post(reverse("portfolio:saved-filter-delete", args=[self.own.pk]))

        self.assertFalse(SavedFilter.objects.filter(pk=self.own.pk).exists())

    def test_menu_marks_manageable(self):
        self.login(self.owner)

        response = self.client.get(reverse("portfolio:saved-filters"), {"entity": "contracts"})

        manageable = {item["filter"].name: item["can_manage"] for item in response.context["saved_filters"]}
        self.assertEqual(manageable, {"Everyone's": False, "Bob's": True})


class SavedFilterApplyTests(BaseTestCase):
    def test_portfolio_lists_saved_filters_and_applies_one(self):
        make_contract(self.account, "Small", value=Decimal("100.00"))
        make_contract(make_account("Globex"), "Large", value=Decimal("900.00"))
        saved = make_saved_filter(self.owner)
        self.login(self.owner)

        menu = self.client.get(reverse("portfolio:contracts"))
        applied = self.client.post(reverse("portfolio:saved-filter-apply", args=[saved.pk]), follow=True)

        self.assertContains(menu, "Big deals")
        self.assertEqual([row.name for row in applied.context["page"]], ["Large"])
        self.assertEqual(applied.context["saved_pk"], saved.pk)

    def test_accounts_filter_becomes_account_filter(self):
        saved = make_saved_filter(self.admin, "French", entity="accounts", params={"country": ["France"]}, is_shared=True)
        self.login(self.outsider)

        response = self.client.post(reverse("portfolio:saved-filter-apply", args=[saved.pk]))

        self.assertRedirects(response, reverse("accounts:list"))
        self.assertEqual(self.client.session["account_filter"], {"country": ["France"]})
