from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    BaseUserCreationForm,
    PasswordChangeForm,
    SetPasswordForm,
)

from accountwise.core.forms import StyledFormMixin
from accountwise.users.models import User


class LoginForm(StyledFormMixin, AuthenticationForm):
    pass


class StyledPasswordChangeForm(StyledFormMixin, PasswordChangeForm):
    pass


class StyledSetPasswordForm(StyledFormMixin, SetPasswordForm):
    pass


class UserCreateForm(StyledFormMixin, BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]


class UserEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "is_active"]
        labels = {"is_active": "Active (can sign in)"}
        help_texts = {
            "is_active": "Clear this to stop someone signing in while keeping their records "
            "and ownerships.",
        }

    def __init__(self, *args, editor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk == self.editor.pk:
            if cleaned.get("is_active") is False:
                self.add_error("is_active", "You cannot deactivate your own user.")
            if cleaned.get("role") and cleaned["role"] != self.instance.role:
                self.add_error("role", "You cannot change your own role; ask another administrator.")
        return cleaned
