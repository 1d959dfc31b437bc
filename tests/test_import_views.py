"""The import page: paste, upload, preview with dropped blocks, restore, save, per-user drafts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reader.importing.types import CHROME
from reader.models import Article, ImportDraft
from tests import pages
from tests.articles import numbered_article
from tests.conftest import SEED

pytestmark = pytest.mark.django_db

IMPORT = reverse("reader:article_import", args=["default"])


@pytest.fixture
def seed_draft(alice_client, seed_bytes) -> ImportDraft:
    response = alice_client.post(IMPORT, {"text": seed_bytes.decode("utf-8")})
    assert response.status_code == 302
    draft = ImportDraft.objects.get()
    assert response.url == reverse("reader:draft_preview", args=["default", draft.pk])
    return draft


def dropped_items(root) -> list:
    return root.xpath('//li[contains(@class, "dropped-block")]')


def test_import_page_shows_the_form(alice_client):
    response = alice_client.get(IMPORT)
    assert response.status_code == 200
    form = pages.page(response).xpath('//form[contains(@class, "import-form")]')[0]
    assert form.get("enctype") == "multipart/form-data"
    assert {el.get("name") for el in form.iter("textarea", "input")} >= {"text", "files", "url"}


def test_paste_creates_a_draft_and_nothing_else(seed_draft):
    assert Article.objects.count() == 0
    assert seed_draft.filename == ""


def test_preview_shows_cleaned_article_and_dropped_blocks_with_rules(alice_client, seed_draft):
    response = alice_client.get(reverse("reader:draft_preview", args=["default", seed_draft.pk]))
    assert response.status_code == 200
    root = pages.page(response)
    body = root.xpath('//div[contains(@class, "article-body")]')[0]
    assert body.get("hx-disable") is not None
    body_text = body.text_content()
    assert "Russia’s Foreign Minister has called" in body_text
    assert "Your support makes all the difference." not in body_text
    items = dropped_items(root)
    assert len(items) >= 14
    texts_and_rules = [
        (
            li.xpath('.//*[@class="dropped-text"]')[0].text_content(),
            li.xpath('.//*[@class="rule"]')[0].text_content(),
        )
        for li in items
    ]
    assert ("Your support makes all the difference.", "donation-appeal") in texts_and_rules
    assert all(rule and rule != "dropped" for _, rule in texts_and_rules)
    assert "Syria peace talks" in root.xpath('//input[@name="title"]')[0].get("value")


def test_preview_fragment_for_htmx(alice_client, seed_draft):
    response = alice_client.post(
        reverse("reader:draft_preview", args=["default", seed_draft.pk]),
        {"restore": [9]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    root = pages.parse(html)
    assert root.xpath('//*[@id="preview"]')
    restored = root.xpath('//li[contains(@class, "is-restored")]')
    assert len(restored) == 1
    assert restored[0].xpath('.//input[@name="restore"]')[0].get("value") == "9"
    body = root.xpath('//div[contains(@class, "article-body")]')[0].text_content()
    assert "Your support helps us to tell the story" in body


def test_restoring_a_dropped_block_puts_its_text_in_the_saved_article(alice_client, seed_draft):
    chrome = [s for s in _prepared_segments(seed_draft) if s["role"] == CHROME]
    appeal = next(s for s in chrome if s["text"] == "Your support makes all the difference.")
    response = alice_client.post(
        reverse("reader:draft_save", args=["default", seed_draft.pk]), {"restore": [appeal["index"]]}
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    assert "Your support makes all the difference." in article.text
    assert article.cleaning_report["restored"] == [appeal["index"]]
    assert "Stay up to date with notifications" not in article.text
    assert not ImportDraft.objects.exists()


def test_saving_without_restore_keeps_chrome_out(alice_client, seed_draft):
    alice_client.post(reverse("reader:draft_save", args=["default", seed_draft.pk]))
    article = Article.objects.get()
    assert "Your support makes all the difference." not in article.text
    assert article.imported_by.username == "alice"


def test_restore_of_an_index_that_is_not_dropped_is_ignored(alice_client, seed_draft):
    body_index = next(s["index"] for s in _prepared_segments(seed_draft) if s["role"] == "body")
    alice_client.post(
        reverse("reader:draft_save", args=["default", seed_draft.pk]), {"restore": [body_index, 999]}
    )
    article = Article.objects.get()
    assert article.cleaning_report["restored"] == []


def test_discard_removes_the_draft(alice_client, seed_draft):
    response = alice_client.post(reverse("reader:draft_discard", args=["default", seed_draft.pk]))
    assert response.status_code == 302 and response.url == IMPORT
    assert not ImportDraft.objects.exists() and not Article.objects.exists()


def test_uploading_several_files_previews_them_one_after_another(alice_client):
    files = [
        SimpleUploadedFile(f"story-{n}.txt", numbered_article(n), content_type="text/plain")
        for n in (1, 2, 3)
    ]
    response = alice_client.post(IMPORT, {"files": files})
    drafts = list(ImportDraft.objects.order_by("pk"))
    assert [d.filename for d in drafts] == ["story-1.txt", "story-2.txt", "story-3.txt"]
    assert response.url == reverse("reader:draft_preview", args=["default", drafts[0].pk])

    first = alice_client.get(response.url).content.decode()
    assert "report number 1" in first and "2 more imports wait" in first
    saved = alice_client.post(reverse("reader:draft_save", args=["default", drafts[0].pk]))
    assert saved.url == reverse("reader:draft_preview", args=["default", drafts[1].pk])
    discarded = alice_client.post(reverse("reader:draft_discard", args=["default", drafts[1].pk]))
    assert discarded.url == reverse("reader:draft_preview", args=["default", drafts[2].pk])
    last = alice_client.post(reverse("reader:draft_save", args=["default", drafts[2].pk]))
    assert Article.objects.count() == 2
    assert last.url == Article.objects.get(title__contains="number 3").get_absolute_url()


def test_upload_of_a_file_with_a_wrong_suffix_is_refused(alice_client):
    upload = SimpleUploadedFile("story.pdf", numbered_article(1), content_type="application/pdf")
    response = alice_client.post(IMPORT, {"files": [upload]})
    assert response.status_code == 422
    assert "only .txt, .html and .htm" in response.content.decode()
    assert not ImportDraft.objects.exists()


def test_two_kinds_of_input_at_once_are_refused(alice_client):
    upload = SimpleUploadedFile("story.txt", numbered_article(1), content_type="text/plain")
    response = alice_client.post(IMPORT, {"files": [upload], "text": "Some pasted text here."})
    assert response.status_code == 422
    assert not ImportDraft.objects.exists()


def test_pending_drafts_are_offered_on_the_import_page(alice_client, seed_draft):
    page = alice_client.get(IMPORT).content.decode()
    assert reverse("reader:draft_preview", args=["default", seed_draft.pk]) in page


def test_each_user_sees_only_their_own_drafts(seed_draft, bob_client):
    preview = reverse("reader:draft_preview", args=["default", seed_draft.pk])
    assert bob_client.get(preview).status_code == 404
    assert bob_client.post(preview, {"restore": [9]}).status_code == 404
    assert bob_client.post(reverse("reader:draft_save", args=["default", seed_draft.pk])).status_code == 404
    assert bob_client.post(reverse("reader:draft_discard", args=["default", seed_draft.pk])).status_code == 404
    assert ImportDraft.objects.filter(pk=seed_draft.pk).exists()
    assert not Article.objects.exists()
    page = bob_client.get(IMPORT).content.decode()
    assert preview not in page


def test_drafts_filename_is_shown_as_text(alice_client):
    upload = SimpleUploadedFile(
        "<img src=x onerror=alert(1)>.txt", numbered_article(1), content_type="text/plain"
    )
    response = alice_client.post(IMPORT, {"files": [upload]})
    root = pages.page(alice_client.get(response.url))
    assert pages.page_unsafe_markup(root) == []
    for region in root.xpath('//*[contains(@class, "article-body")] | //aside[@class="dropped"]'):
        assert pages.unsafe_markup(region) == []


def _prepared_segments(draft: ImportDraft) -> list[dict]:
    from reader import services

    return services.prepare_input(bytes(draft.raw_input), charset="utf-8").report["segments"]


def test_seed_upload_keeps_its_filename(alice_client, seed_bytes):
    upload = SimpleUploadedFile(SEED.name, seed_bytes, content_type="text/plain")
    response = alice_client.post(IMPORT, {"files": [upload]})
    draft = ImportDraft.objects.get()
    alice_client.post(reverse("reader:draft_save", args=["default", draft.pk]))
    assert response.status_code == 302
    assert Article.objects.get().raw_filename == SEED.name


def test_preview_sums_up_dropped_blocks_by_rule(alice_client):
    response = alice_client.post(
        reverse("reader:article_import", args=["default"]), {"text": SEED.read_text(encoding="utf-8")}, follow=True
    )
    assert response.status_code == 200
    prepared = response.context["prepared"]
    summary = prepared.dropped_by_rule
    assert sum(count for _, count in summary) == len(prepared.dropped) > 0
    assert [count for _, count in summary] == sorted((c for _, c in summary), reverse=True)
    page = response.content.decode()
    for rule, count in summary:
        assert f"{rule} {count}" in page
