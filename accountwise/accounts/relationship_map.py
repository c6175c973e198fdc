"""Arrange an account's contacts into the relationship map: an org chart built from reports-to.

The template draws the chart as nested lists. The trees are handed over as
one flat list in drawing order, so that no depth of hierarchy can exhaust
template recursion. Each entry records whether a nested list of reports opens
below it and how many nested lists close after it.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from accountwise.accounts.models import Contact, Sentiment


@dataclass
class MapEntry:
    contact: Contact
    depth: int
    has_reports: bool = False
    # Number of nested report lists that end right after this entry.
    closing: range = field(default_factory=lambda: range(0))
    # True for a contact shown at the top only because its reports-to chain loops back to it.
    in_loop: bool = False


@dataclass
class RelationshipMap:
    entries: list[MapEntry]
    # Contacts with no manager and no reports, shown apart from the trees.
    unplaced: list[Contact]

    @property
    def loop_count(self) -> int:
        return sum(1 for entry in self.entries if entry.in_loop)

    @property
    def sentiments(self) -> list[tuple[str, str]]:
        """Return the sentiments, for the map's colour legend."""
        return Sentiment.choices


def build_relationship_map(contacts: list[Contact]) -> RelationshipMap:
    """Build the map from contacts of one account, in the order they should be listed.

    Contact.clean rejects reports-to loops, but data saved without it (an
    import, the shell) may contain one. Such contacts are not reachable from
    any top manager; the first of each loop is drawn at the top and flagged.
    """
    reports = defaultdict(list)
    known = {contact.pk for contact in contacts}
    for contact in contacts:
        if contact.reports_to_id in known:
            reports[contact.reports_to_id].append(contact)

    tops = [contact for contact in contacts if contact.reports_to_id not in known]
    unplaced = [contact for contact in tops if not reports[contact.pk]]
    entries: list[MapEntry] = []
    placed = {contact.pk for contact in unplaced}
    for top in tops:
        if reports[top.pk]:
            _walk(top, reports, placed, entries)
    for contact in contacts:
        if contact.pk not in placed:
            first = len(entries)
            _walk(contact, reports, placed, entries)
            entries[first].in_loop = True

    _mark_nesting(entries)
    return RelationshipMap(entries=entries, unplaced=unplaced)


def _walk(top: Contact, reports: dict, placed: set[int], entries: list[MapEntry]) -> None:
    """Append `top` and everyone below it, depth first, skipping contacts already drawn."""
    stack = [(top, 0)]
    while stack:
        contact, depth = stack.pop()
        if contact.pk in placed:
            continue
        placed.add(contact.pk)
        entries.append(MapEntry(contact=contact, depth=depth))
        below = [report for report in reports[contact.pk] if report.pk not in placed]
        stack.extend((report, depth + 1) for report in reversed(below))


def _mark_nesting(entries: list[MapEntry]) -> None:
    for index, entry in enumerate(entries):
        next_depth = entries[index + 1].depth if index + 1 < len(entries) else 0
        entry.has_reports = next_depth > entry.depth
        if not entry.has_reports:
            entry.closing = range(entry.depth - next_depth)
