"""The import preview: the details are fields a person corrects before Save, a duplicate is
announced before Save, and Save is made once (Back then Save says "already saved")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from reader import services
from reader.models import Article, ArticleVersion, ImportDraft, ImportReceipt
from tests import pages
from tests.articles import FLOODS, plain_article
from tests.concurrency import race
from tests.conftest import SEED

IMPORT = reverse("reader:article_import", args=["default"])


def preview_of(django_app, user, raw: bytes):
    page = django_app.get(IMPORT, user=user)
    form = page.forms[1]
    form["text"] = raw.decode("utf-8")
    return form.submit().follow()


@pytest.mark.django_db
def test_preview_prefills_the_details_the_pipeline_found(django_app, alice, seed_bytes):
    form = preview_of(django_app, alice, seed_bytes).forms["preview-form"]
    assert form["title"].value.startswith("Syria peace talks: Russian Foreign Minster says")
    assert form["subtitle"].value.startswith("His words come after the UN offered Iran")
    assert form["byline"].value == "Kashmira Gander"
    assert form["published"].value == "2014-01-21T12:32:00"
    assert form["source_name"].value == "The Independent"


@pytest.mark.django_db
def test_preview_saved_untouched_stores_what_the_pipeline_found(django_app, alice, seed_bytes):
    found = services.prepare_input(seed_bytes)
    preview_of(django_app, alice, seed_bytes).forms["preview-form"].submit().follow()
    article = Article.objects.get()
    assert article.title == found.title
    assert article.subtitle == found.subtitle
    assert article.byline == found.byline
    assert article.published == found.published == dt.datetime(2014, 1, 21, 12, 32, tzinfo=dt.UTC)
    assert article.source_name == found.source_name
    assert article.text == found.text


@pytest.mark.django_db
def test_what_the_person_sets_in_the_preview_is_what_is_saved(django_app, alice, seed_bytes):
    found = services.prepare_input(seed_bytes)
    form = preview_of(django_app, alice, seed_bytes).forms["preview-form"]
    form["title"] = "Lavrov: withdrawing Iran's invitation a mistake"
    form["subtitle"] = ""
    form["byline"] = "K. Gander"
    form["published"] = "2014-01-22T08:05:00"
    form["source_name"] = "Independent"
    article_page = form.submit().follow()
    article = Article.objects.get()
    assert (article.title, article.subtitle, article.byline, article.source_name) == (
        "Lavrov: withdrawing Iran's invitation a mistake",
        "",
        "K. Gander",
        "Independent",
    )
    assert article.published == dt.datetime(2014, 1, 22, 8, 5, tzinfo=dt.UTC)
    # The canonical text is the pipeline's, untouched; the slug follows the title set.
    assert article.text == found.text
    assert article.slug == "lavrov-withdrawing-irans-invitation-a-mistake"
    assert ArticleVersion.objects.get(article=article).title == article.title
    assert pages.page(article_page).xpath("//h1")[0].text_content() == article.title


@pytest.mark.django_db
def test_an_empty_title_is_refused_with_the_preview_shown_again(django_app, alice, seed_bytes):
    form = preview_of(django_app, alice, seed_bytes).forms["preview-form"]
    form["title"] = "   "
    response = form.submit(status=422)
    assert "This field is required." in response.text
    assert response.forms["preview-form"]["byline"].value == "Kashmira Gander"
    assert not Article.objects.exists() and ImportDraft.objects.count() == 1


@pytest.mark.django_db
def test_restoring_a_block_keeps_the_details_typed(django_app, alice, seed_bytes):
    """Without JavaScript, "Update preview" redraws the page with the details as typed."""
    form = preview_of(django_app, alice, seed_bytes).forms["preview-form"]
    form["title"] = "My own title"
    appeal = _dropped_index(seed_bytes, "Your support makes all the difference.")
    next(box for box in form.fields["restore"] if box._value == appeal).checked = True
    # The "Update preview" button (shown without JavaScript) posts the form to the preview.
    form.action = reverse("reader:draft_preview", args=["default", ImportDraft.objects.get().pk])
    redrawn = form.submit().forms["preview-form"]
    assert redrawn["title"].value == "My own title"
    assert next(box for box in redrawn.fields["restore"] if box._value == appeal).checked
    redrawn.submit().follow()
    article = Article.objects.get()
    assert article.title == "My own title"
    assert "Your support makes all the difference." in article.text


def _dropped_index(raw: bytes, text: str) -> str:
    segments = services.prepare_input(raw).report["segments"]
    return str(next(s["index"] for s in segments if s["role"] == "chrome" and s["text"] == text))


@pytest.mark.django_db
def test_a_duplicate_text_is_announced_in_the_preview_with_a_link(django_app, alice, bob):
    raw = plain_article(*FLOODS)
    existing = services.article_import(raw=raw, user=bob).article
    page = preview_of(django_app, alice, raw)
    (notice,) = pages.page(page).xpath('//*[@class="duplicate"]')
    assert "This text is already in the library" in notice.text_content()
    assert notice.xpath(".//a")[0].get("href") == existing.get_absolute_url()
    assert notice.xpath(".//a")[0].text_content() == existing.title


@pytest.mark.django_db
def test_a_page_from_a_known_address_is_announced_in_the_preview(django_app, alice, bob):
    existing = services.article_import(
        raw=plain_article(*FLOODS), user=bob, url="https://news.example/floods"
    ).article
    page = django_app.get(IMPORT, user=alice)
    raw = (
        '<html><head><title>Floods</title><link rel="canonical" href="https://news.example/floods">'
        "</head><body><article><h1>Ministers change the river plan</h1>"
        + "".join(f"<p>{p} It was said again on Friday.</p>" for p in FLOODS[1:])
        + "</article></body></html>"
    )
    page.forms[1]["text"] = raw
    preview = page.forms[1].submit().follow()
    (notice,) = pages.page(preview).xpath('//*[@class="duplicate"]')
    assert "from this address is already in the library" in notice.text_content()
    assert notice.xpath(".//a")[0].get("href") == existing.get_absolute_url()


@pytest.mark.django_db
def test_a_new_text_is_not_announced_as_a_duplicate(django_app, alice, seed_bytes):
    services.article_import(raw=plain_article(*FLOODS), user=alice)
    page = preview_of(django_app, alice, seed_bytes)
    assert not pages.page(page).xpath('//*[@class="duplicate"]')


@pytest.mark.django_db
def test_back_then_save_again_says_already_saved_with_a_link(django_app, alice, seed_bytes):
    form = preview_of(django_app, alice, seed_bytes).forms["preview-form"]
    form.submit().follow()
    article = Article.objects.get()
    # The Back button shows the same preview; its Save is sent again.
    again = form.submit()
    assert again.status_code == 200
    assert "This import was already saved" in again.text
    link = pages.page(again).xpath(f'//a[text()="{article.title}"]')
    assert link and link[0].get("href") == article.get_absolute_url()
    assert Article.objects.count() == 1 and ArticleVersion.objects.count() == 1
    # The preview's own address (Back with a reload) and Discard say the same.
    draft_id = ImportReceipt.objects.get().draft_id
    shown = django_app.get(reverse("reader:draft_preview", args=["default", draft_id]), user=alice)
    assert "This import was already saved" in shown.text
    form.action = reverse("reader:draft_discard", args=["default", draft_id])
    assert "This import was already saved" in form.submit().text
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_saved_draft_is_not_found(django_app, alice, bob, seed_bytes):
    preview_of(django_app, alice, seed_bytes).forms["preview-form"].submit()
    draft_id = ImportReceipt.objects.get().draft_id
    django_app.get(reverse("reader:draft_preview", args=["default", draft_id]), user=bob, status=404)


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_preview_at_once_make_one_article(
    concurrent_db, django_user_model, password, monkeypatch
):
    from projects.services import default_project, membership_set

    alice = django_user_model.objects.create_user(username="alice", password=password)
    membership_set(project=default_project(), user=alice, role="annotator")
    draft = ImportDraft.objects.create(user=alice, raw_input=SEED.read_bytes(), charset="utf-8")
    client = Client()
    client.force_login(alice)
    fields = services.prepared_details(services.prepare_input(SEED.read_bytes()))
    fields["published"] = fields["published"].strftime("%Y-%m-%dT%H:%M:%S")
    url = reverse("reader:draft_save", args=["default", draft.pk])
    responses = race(
        lambda: client.post(url, fields),
        owner=services,
        attribute="draft_save",
        monkeypatch=monkeypatch,
        database=concurrent_db,
    )
    article = Article.objects.get()
    assert sorted(r.status_code for r in responses) == [200, 302]
    saved = next(r for r in responses if r.status_code == 302)
    assert saved.url == article.get_absolute_url()
    repeat = next(r for r in responses if r.status_code == 200)
    assert "This import was already saved" in repeat.content.decode()
    assert article.get_absolute_url() in repeat.content.decode()
    assert ArticleVersion.objects.filter(article=article).count() == 1
    assert not ImportDraft.objects.exists()
