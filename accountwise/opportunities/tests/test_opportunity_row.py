from django.urls import reverse

from accountwise.test import BaseTestCase, make_opportunity

HTMX = {"HTTP_HX_REQUEST": "true"}


class OpportunityRowTests(BaseTestCase):
    def setUp(self):
        self.opportunity = make_opportunity(self.account, "Upsell")
        self.url = reverse("opportunities:row", args=[self.opportunity.pk])
        self.quick_update_url = reverse("opportunities:quick-update", args=[self.opportunity.pk])

    def test_everyone_may_view(self):
        for user in (self.outsider, self.owner, self.teammate, self.admin):
            with self.subTest(user=user.username):
                self.login(user)

                response = self.client.get(self.url, **HTMX)

                self.assertEqual(response.status_code, 200)
                self.assertTemplateUsed(response, "opportunities/_opportunity_row.html")

    def test_update_icon_for_team_only(self):
        self.login(self.outsider)
        outsider_response = self.client.get(self.url, **HTMX)
        self.login(self.teammate)
        teammate_response = self.client.get(self.url, **HTMX)

        self.assertNotContains(outsider_response, self.quick_update_url)
        self.assertContains(teammate_response, self.quick_update_url)

    def test_update_icon_links_edit_page(self):
        self.login(self.owner)

        response = self.client.get(self.url, **HTMX)

        self.assertContains(response, f'href="{reverse("opportunities:edit", args=[self.opportunity.pk])}?next=')
        self.assertContains(response, 'title="Update opportunity"')

    def test_without_htmx_redirects_to_detail(self):
        self.login(self.owner)

        response = self.client.get(self.url)

        self.assertRedirects(response, self.opportunity.get_absolute_url(), fetch_redirect_response=False)
