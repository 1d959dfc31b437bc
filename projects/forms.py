from __future__ import annotations

from django import forms

from .models import Project


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    codebook_from = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="The default codebook (Russia, United States, Syrian opposition)",
        label="Start the codebook from",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A codebook can be copied only from a project the creator can see.
        self.fields["codebook_from"].queryset = Project.objects.for_member(user)
        self.fields["codebook_from"].label_from_instance = lambda p: f"A copy of {p.name}’s codebook"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the project a name.")
        return name


class StanceForm(forms.ModelForm):
    """One stance of the codebook, as its managers edit it."""

    class Meta:
        from annotations.models import Stance

        model = Stance
        fields = [
            "name",
            "colour",
            "hotkey",
            "order",
            "description",
            "definition",
            "when_to_use",
            "example",
            "counter_example",
        ]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "when_to_use": forms.Textarea(attrs={"rows": 3}),
            "example": forms.Textarea(attrs={"rows": 2}),
            "counter_example": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"when_to_use": "When to use it", "counter_example": "Counter-example"}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["hotkey"].widget.attrs.update(min=1, max=9)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give the stance a name.")
        return name

    def clean_colour(self) -> str:
        from .contrast import contrast_problems

        colour = self.cleaned_data["colour"].lower()
        # A colour already in use is shown with its warning on the page, not refused:
        # saving other fields of the stance must not fail because of it.
        problems = contrast_problems(colour) if "colour" in self.changed_data else ""
        if problems:
            raise forms.ValidationError(problems)
        return colour


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=[])
    days = forms.IntegerField(min_value=1, max_value=90, initial=7, label="Valid for (days)")
    max_uses = forms.IntegerField(min_value=1, max_value=500, initial=1, label="Number of uses")
    note = forms.CharField(required=False, max_length=200, label="For (optional)")

    def __init__(self, *args, **kwargs):
        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
        self.fields["role"].initial = Role.ANNOTATOR


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=[])

    def __init__(self, *args, **kwargs):
        from .models import Role

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Role.choices
