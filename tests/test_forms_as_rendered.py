"""Every form a person can open, submitted as the page renders it (django-webtest).

A test that posts a hand-made dict proves the view, not the page: a form that renders
the wrong widget passes it. Here each form is loaded as rendered, submitted without
touching anything (nothing stored may change), then with one field changed (only that
may change).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation


def stored(annotation: Annotation) -> dict:
    annotation = Annotation.objects.get(pk=annotation.pk)
    return {
        "stances": sorted(s.name for s in annotation.stances.all()),
        "note": annotation.note,
        "visibility": annotation.visibility,
        "quote": annotation.quote,
        "start": annotation.start,
        "end": annotation.end,
    }


@pytest.mark.django_db
def test_edit_form_submitted_untouched_keeps_every_stance(django_app, alice, article, make_annotation):
    annotation = make_annotation(
        alice, article, "Russia", stance_names=("Russia", "United States"), note="first"
    )
    before = stored(annotation)
    page = django_app.get(reverse("annotations:edit", args=[annotation.pk]), user=alice)
    page.forms[1].submit().follow()
    assert stored(annotation) == before
