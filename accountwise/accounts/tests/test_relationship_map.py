from accountwise.accounts.models import Contact
from accountwise.accounts.relationship_map import build_relationship_map
from accountwise.test import BaseTestCase, make_contact


def _outline(relationship_map) -> list[tuple]:
    """Return each entry as (last name, depth, has reports, lists closed after it, in loop)."""
    return [
        (entry.contact.last_name, entry.depth, entry.has_reports, len(entry.closing), entry.in_loop)
        for entry in relationship_map.entries
    ]


class RelationshipMapTests(BaseTestCase):
    def _map(self):
        return build_relationship_map(list(self.account.contacts.all()))

    def test_nests_reports_under_managers(self):
        ceo = make_contact(self.account, "Ceo")
        cfo = make_contact(self.account, "Cfo", reports_to=ceo)
        make_contact(self.account, "Buyer", reports_to=cfo)
        make_contact(self.account, "Cto", reports_to=ceo)

        self.assertEqual(
            _outline(self._map()),
            [
                ("Ceo", 0, True, 0, False),
                ("Cfo", 1, True, 0, False),
                ("Buyer", 2, False, 1, False),
                ("Cto", 1, False, 1, False),
            ],
        )

    def test_lists_without_lines_apart(self):
        boss = make_contact(self.account, "Boss")
        make_contact(self.account, "Report", reports_to=boss)
        loner = make_contact(self.account, "Loner")

        relationship_map = self._map()

        self.assertEqual([entry.contact.last_name for entry in relationship_map.entries], ["Boss", "Report"])
        self.assertEqual(relationship_map.unplaced, [loner])

    def test_deep_chain_closes_every_level(self):
        manager = None
        for level in range(30):
            manager = make_contact(self.account, f"Level{level:02}", reports_to=manager)

        entries = self._map().entries

        self.assertEqual(len(entries), 30)
        self.assertEqual(entries[-1].depth, 29)
        self.assertEqual(len(entries[-1].closing), 29)

    def test_stored_loop_still_drawn(self):
        # Contact.clean rejects loops, but an import could store one.
        first = make_contact(self.account, "First")
        second = make_contact(self.account, "Second", reports_to=first)
        Contact.objects.filter(pk=first.pk).update(reports_to=second)

        relationship_map = self._map()

        self.assertEqual(_outline(relationship_map), [("First", 0, True, 0, True), ("Second", 1, False, 1, False)])
        self.assertEqual(relationship_map.loop_count, 1)
