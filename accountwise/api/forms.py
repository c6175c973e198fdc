from django import forms

from accountwise.core.forms import StyledFormMixin


class TokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, such as \"Nightly ERP sync\", so you know which to revoke.",
        error_messages={"required": "Enter a name that says what the token is for."},
    )
