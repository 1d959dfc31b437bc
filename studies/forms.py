from __future__ import annotations

from django import forms

from .agreement import DEFAULT_THETA
from .models import Adjudication


class StudySettingsForm(forms.Form):
    blind = forms.BooleanField(
        label="Coders work blind",
        required=False,
        help_text="A coder sees only their own annotations on an article until they submit it.",
    )
    hide_coder_names = forms.BooleanField(
        label="Hide coder names in adjudication",
        required=False,
        help_text="Versions are shown as Coder A, B, … in a shuffled order.",
    )
    agreement_theta = forms.FloatField(
        label="Unit overlap θ (IoU)",
        min_value=0.05,
        max_value=1.0,
        initial=DEFAULT_THETA,
        help_text="Two coders' annotations form one unit when they overlap at least this much.",
    )
    note_as_concept = forms.BooleanField(
        label="Export the note as DNA's concept",
        required=False,
    )


class AssignForm(forms.Form):
    MODES = [
        ("all", "Every member who annotates"),
        ("chosen", "The coders I choose"),
        ("random", "N coders per article, drawn at random"),
    ]
    mode = forms.ChoiceField(choices=MODES, widget=forms.RadioSelect, initial="all")
    coders = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    per_article = forms.IntegerField(label="Coders per article", min_value=1, required=False)
    articles = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to assign every article of the project.",
        required=False,
    )

    def __init__(self, *args, coders, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coders"].choices = [(u.username, u.username) for u in coders]
        self.fields["articles"].choices = [(a.slug, a.title) for a in articles]

    def clean(self):
        data = super().clean()
        mode = data.get("mode")
        if mode == "chosen" and not data.get("coders"):
            self.add_error("coders", "Choose at least one coder.")
        if mode == "random" and not data.get("per_article"):
            self.add_error("per_article", "Say how many coders each article gets.")
        return data


class ReopenForm(forms.Form):
    coder = forms.CharField(max_length=150, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=1000, required=False)


class DecisionForm(forms.Form):
    """One unit's decision. `sources` are the snapshot rows of the unit (as shown)."""

    sources = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[c for c in Adjudication.Decision.choices if c[0] != "accepted"]
    )
    boundaries_from = forms.IntegerField(required=False, widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=1)
    stances = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(
        required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, stance_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stances"].choices = [(n, n) for n in stance_names]

    def clean_sources(self):
        try:
            ids = [int(x) for x in self.cleaned_data["sources"].split(",") if x]
        except ValueError as error:
            raise forms.ValidationError("Unknown versions.") from error
        if not ids:
            raise forms.ValidationError("Unknown versions.")
        return ids

    def clean(self):
        data = super().clean()
        # A gold claim carries its stances: a merge or an edit names them, so a form sent
        # untouched settles nothing.
        if data.get("decision") in ("merged", "edited") and not data.get("stances"):
            self.add_error("stances", "Tick the stances of the gold annotation.")
        return data
