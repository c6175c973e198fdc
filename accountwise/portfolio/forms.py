from django import forms
from django.db.models.functions import Lower

from accountwise.core.forms import StyledFormMixin
from accountwise.core.permissions import is_administrator
from accountwise.portfolio.models import SavedFilter


class SavedFilterForm(StyledFormMixin, forms.ModelForm):
    """Name a saved filter and, for administrators, share it with everyone.

    The view sets the owner, entity and parameters on the instance before
    binding. The form checks that the owner has no other filter of that name.
    """

    class Meta:
        model = SavedFilter
        fields = ["name", "is_shared"]
        labels = {"name": "Name", "is_shared": "Share with everyone"}
        help_texts = {"name": "For example \"Renewals this quarter\"."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.setdefault("autocomplete", "off")
        if not is_administrator(user):
            # Only administrators publish filters for everyone.
            del self.fields["is_shared"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter a name for the saved filter.")
        instance = self.instance
        same_name = SavedFilter.objects.filter(owner_id=instance.owner_id, entity=instance.entity).annotate(
            lower_name=Lower("name")
        ).filter(lower_name=name.lower())
        if instance.pk:
            same_name = same_name.exclude(pk=instance.pk)
        if same_name.exists():
            raise forms.ValidationError(
                f"You already have a saved filter named \"{name}\" here. Choose another name, "
                "or rename or delete the existing one."
            )
        return name
