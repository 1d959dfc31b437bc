from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .models import Article


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


ALLOWED_SUFFIXES = (".txt", ".html", ".htm")


class ImportForm(forms.Form):
    text = forms.CharField(
        label="Paste the article (text or HTML)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    files = MultipleFileField(label="Or upload files (.txt, .html)", required=False)
    url = forms.URLField(
        label="Or give the article's address",
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.IMPORT_MAX_BYTES
        for upload in files:
            if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
                raise forms.ValidationError(
                    f"{upload.name}: only .txt, .html and .htm files can be imported."
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    f"{upload.name} is larger than {limit // (1024 * 1024)} MB; nothing was imported."
                )
            if upload.size == 0:
                raise forms.ValidationError(f"{upload.name} is empty; nothing was imported.")
        total, cap = sum(upload.size for upload in files), settings.IMPORT_MAX_TOTAL_BYTES
        if total > cap:
            raise forms.ValidationError(
                f"These {len(files)} files add up to {filesizeformat(total)}; one upload may hold "
                f"{filesizeformat(cap)} in all. Nothing was imported: upload them a few at a "
                "time, or import the folder with manage.py import_articles."
            )
        return files

    def clean(self):
        data = super().clean()
        given = [bool(data.get("text", "").strip()), bool(data.get("files")), bool(data.get("url"))]
        if not any(given) and not self.errors:
            raise forms.ValidationError("Paste an article, choose a file or give an address.")
        if sum(given) > 1:
            raise forms.ValidationError("Import one kind of input at a time: text, files or an address.")
        return data


class RestoreForm(forms.Form):
    restore = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, dropped_indices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["restore"].choices = [(i, i) for i in dropped_indices]


class UpdateOfForm(forms.Form):
    """The preview's "update that article" choice: an article of the project it imports to
    (the service checks it is still the one the text resembles)."""

    update_of = forms.ModelChoiceField(queryset=Article.objects.none(), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update_of"].queryset = Article.objects.in_project(project).only("pk", "title")


class ArticleDetailsForm(forms.ModelForm):
    """The details a person may correct: never the text, so no offset can move."""

    class Meta:
        model = Article
        fields = ["title", "subtitle", "byline", "published", "source_name"]
        labels = {
            "subtitle": "Standfirst",
            "published": "Published (UTC)",
            "source_name": "Source",
        }
        widgets = {
            "title": forms.TextInput(attrs={"size": 60}),
            "subtitle": forms.Textarea(attrs={"rows": 2}),
            # Seconds are shown (step 1) so that a form sent back untouched keeps them.
            "published": forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
            ),
        }


class ArticleDetailsEditForm(ArticleDetailsForm):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. the title was a page control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Opened in place of the article's heading: the person goes on typing there.
        self.fields["title"].widget.attrs["autofocus"] = True
