"""Context for the contracts section on an account's Details tab."""


def contracts_section_context(request, account, can_change: bool) -> dict:
    # Stub: replaced by the contracts section implementation.
    return {}
