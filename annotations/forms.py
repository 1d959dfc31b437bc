from __future__ import annotations

from django import forms

from projects.models import Role
from projects.permissions import can_annotate
from projects.scope import ROLE_NEEDED
from reader.models import Article

from .models import NOTE_MAX_LENGTH, Annotation, Stance


class StanceChoiceField(forms.ModelMultipleChoiceField):
    # Checkboxes, never a multiple select: a form that renders each choice's tag
    # must send back what is checked, or saving it untags the annotation.
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Stance) -> str:
        return obj.name


class AnnotationFields(forms.Form):
    stances = StanceChoiceField(queryset=Stance.objects.active(), required=False)
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "Note (optional)"}),
    )
    visibility = forms.ChoiceField(
        choices=Annotation.Visibility.choices, initial=Annotation.Visibility.SHARED, required=False
    )

    def clean_visibility(self) -> str:
        return self.cleaned_data["visibility"] or Annotation.Visibility.SHARED


class AnnotationCreateForm(AnnotationFields):
    article = forms.ModelChoiceField(
        queryset=Article.objects.for_reading(), widget=forms.HiddenInput
    )
    start = forms.IntegerField(widget=forms.HiddenInput)
    end = forms.IntegerField(widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput, max_length=100_000)
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only articles the person may read exist; stances are checked against the article's
        # project in clean().
        self.fields["article"].queryset = Article.objects.for_reading().visible_to(user)

    def clean_article(self) -> Article:
        article = self.cleaned_data["article"]
        if not can_annotate(self.user, article.project_id):
            raise forms.ValidationError(ROLE_NEEDED[Role.ANNOTATOR])
        return article

    def clean(self):
        data = super().clean()
        article = data.get("article")
        if article is not None and any(
            s.project_id != article.project_id for s in data.get("stances", ())
        ):
            self.add_error("stances", "A stance of another project's codebook was sent.")
        return data

    def clean_start(self) -> int:
        start = self.cleaned_data["start"]
        if start < 0:
            raise forms.ValidationError("Offsets cannot be negative.")
        return start


class AnnotationEditForm(AnnotationFields):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, annotation: Annotation, **kwargs):
        super().__init__(*args, **kwargs)
        # A retired stance stays selectable on the annotations that carry it.
        project_stances = Stance.objects.filter(project_id=annotation.article.project_id)
        self.fields["stances"].queryset = project_stances.filter(
            pk__in=[s.pk for s in project_stances.active()]
            + [s.pk for s in annotation.stances.all()]
        )
