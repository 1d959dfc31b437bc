"""Input over a stated limit is refused with a message that names the limit."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations import jsonld
from annotations.models import NOTE_MAX_LENGTH, Annotation
from reader.models import Article, ImportDraft
from tests import pages

pytestmark = [pytest.mark.django_db]

QUOTE = "Damascus has denied all the claims of abuse."
SENTENCE = "The harbour master said that the boats were moored there all through May. "


def pasted_article(size: int) -> str:
    paragraphs = (SENTENCE * 8 + "\n\n") * (size // (len(SENTENCE) * 8 + 2) + 1)
    return ("Harbour report\n\n" + paragraphs)[:size]


def test_jsonld_upload_over_the_stated_limit_is_refused_with_a_message(alice_client, article):
    oversized = b"[" + b" " * jsonld.MAX_UPLOAD_BYTES + b"]"
    upload = SimpleUploadedFile("notes.jsonld", oversized, "application/ld+json")
    response = alice_client.post(
        reverse("export:annotations_import"), {"article": article.pk, "file": upload}
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "notes.jsonld" in message and "limited to 5 MB" in message
    assert Annotation.objects.count() == 0


def test_note_over_the_limit_is_refused_on_create_and_edit_with_the_limit_named(
    alice_client, alice, article, make_annotation
):
    start = article.text.index(QUOTE)
    selection = {"article": article.pk, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    too_long = "n" * (NOTE_MAX_LENGTH + 1)
    created = alice_client.post(reverse("annotations:create"), selection | {"note": too_long})
    assert created.status_code == 400
    assert f"{NOTE_MAX_LENGTH:,}" in created.content.decode() or str(NOTE_MAX_LENGTH) in (
        created.content.decode()
    )
    mine = make_annotation(alice, article, QUOTE, note="short")
    edited = alice_client.post(
        reverse("annotations:edit", args=[mine.pk]), {"version": 1, "note": too_long}
    )
    assert edited.status_code == 422
    errors = pages.page(edited).xpath('//*[contains(@class, "errorlist")]')
    assert errors and str(NOTE_MAX_LENGTH) in errors[0].text_content().replace(",", "")
    assert list(Annotation.objects.values_list("note", flat=True)) == ["short"]


def test_pasted_text_under_the_import_limit_but_over_two_megabytes_is_accepted(alice_client):
    response = alice_client.post(
        reverse("reader:article_import", args=["default"]), {"text": pasted_article(3 * 1024 * 1024)}
    )
    assert response.status_code == 302
    assert ImportDraft.objects.count() == 1


def test_pasted_text_over_the_import_limit_is_refused_with_a_message(alice_client):
    response = alice_client.post(
        reverse("reader:article_import", args=["default"]), {"text": pasted_article(settings.IMPORT_MAX_BYTES + 1)}
    )
    assert response.status_code in (400, 413, 422)
    assert "5 MB" in response.content.decode()
    assert not ImportDraft.objects.exists() and not Article.objects.exists()


def test_a_request_over_every_limit_gets_a_page_that_says_why(alice_client):
    response = alice_client.post(
        reverse("reader:article_import", args=["default"]), {"text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    )
    assert response.status_code == 400
    assert "5 MB" in response.content.decode()
    assert not ImportDraft.objects.exists()
