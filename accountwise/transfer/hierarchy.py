"""Loops in a hierarchy that an import is building: parent accounts, contacts' managers."""


def cycle_through(
    start, draft_type: type, link: str, stored_link_id: str, stands_for: dict, by_pk: dict
) -> list | None:
    """Return the chain of links from start back to start, or None when the chain ends elsewhere.

    A chain runs through rows of the file (instances of draft_type, linked by
    their `link` attribute) and through stored records (linked by their
    `stored_link_id` column, looked up in by_pk). stands_for maps a stored
    record's id to the row of the file that will update it.
    """
    chain, seen = [start], {id(start)}
    node = getattr(start, link)
    while node is not None:
        chain.append(node)
        if node is start:
            return chain
        if id(node) in seen:
            return None
        seen.add(id(node))
        if isinstance(node, draft_type):
            node = getattr(node, link)
        else:
            linked = by_pk.get(getattr(node, stored_link_id))
            node = stands_for.get(linked.pk, linked) if linked is not None else None
    return None
