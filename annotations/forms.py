from __future__ import annotations

from django import forms

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
        self.fields["stances"].queryset = Stance.objects.filter(
            pk__in=[s.pk for s in Stance.objects.active()] + [s.pk for s in annotation.stances.all()]
        )
