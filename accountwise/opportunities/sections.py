"""Context for the opportunities section on an account's Details tab."""


def opportunities_section_context(request, account, can_change: bool) -> dict:
    # Stub: replaced by the opportunities section implementation.
    return {}
