"""Article details a person can correct: slugs, and editing the details after import
without moving any offset."""

from __future__ import annotations

import pytest

from reader.models import SLUG_LENGTH, slug_base
from tests import pages
from tests.articles import FLOODS, stored_article


def test_a_long_title_is_cut_at_the_end_of_a_word():
    title = "Ministers agree a new plan for the river after the floods of last winter " * 3
    slug = slug_base(title)
    assert len(slug) <= SLUG_LENGTH
    assert not slug.endswith("-")
    words = slug.split("-")
    # Every word of the slug is a whole word of the title, the last one included.
    assert all(word in title.lower().split() for word in words)
    assert (slug + "-").startswith("ministers-agree-a-new-plan-for-the-river-")


def test_a_word_ending_exactly_at_the_limit_is_kept_whole():
    words = ["abcdefghi"] * 9 + ["abcdefghij"]  # 9 + 1 words and 9 dashes: 100 characters
    assert slug_base(" ".join(words) + " more") == "-".join(words)
    # One letter more and the last word would be cut: it goes whole.
    assert slug_base(" ".join(words) + "k more") == "-".join(words[:9])


def test_one_word_longer_than_the_limit_is_the_only_thing_cut():
    assert slug_base("a" * 150) == "a" * SLUG_LENGTH
    assert slug_base("!!!") == "article"


@pytest.mark.django_db
def test_stored_articles_get_word_boundary_slugs_and_distinct_numbers():
    title = "Council says the harbour walls will be repaired before the winter storms arrive " * 2
    first = stored_article(title, [FLOODS[1]])
    second = stored_article(title, [FLOODS[2]])
    assert first.slug == slug_base(title)
    assert second.slug == f"{first.slug}-2"
    assert first.slug.split("-")[-1] in title.lower().split()


# ------------------------------------------------------------- editing after import

HTMX = {"HTTP_HX_REQUEST": "true"}


def annotation_state(article) -> list[tuple]:
    from annotations.models import Annotation

    return list(
        Annotation.objects.filter(article=article)
        .order_by("pk")
        .values_list(
            "pk", "start", "end", "quote", "prefix", "suffix", "anchor_status", "article_version"
        )
    )


def text_state(article) -> tuple:
    from reader.models import Article

    article = Article.objects.get(pk=article.pk)
    return (article.text, article.text_hash, article.body_html, article.version, article.slug)


@pytest.fixture
def annotated(article, alice, bob, make_annotation):
    """The seed, imported by alice, with annotations of both (shared and private)."""
    make_annotation(alice, article, "Russia", stance_names=("Russia",), note="first")
    make_annotation(alice, article, "Iran", occurrence=1, visibility="private")
    make_annotation(bob, article, "a mistake, but not a catastrophe", stance_names=("Russia",))
    return article


def details_url(article) -> str:
    from django.urls import reverse

    return reverse("reader:article_details", args=[article.project.slug, article.slug])


@pytest.mark.django_db
def test_the_importer_edits_the_details_from_the_reading_page_and_no_offset_moves(
    django_app, alice, annotated
):
    from reader.models import Article, ArticleDetailsChange

    annotations_before, text_before = annotation_state(annotated), text_state(annotated)
    reading = django_app.get(annotated.get_absolute_url(), user=alice)
    form = reading.click("Edit details").forms["article-details"]
    assert form["title"].value == annotated.title
    form["title"] = "Lavrov: withdrawing Iran's invitation was a mistake"
    form["byline"] = "Kashmira Gander and AP"
    form["published"] = "2014-01-21T13:00:00"
    form["reason"] = "shorter title; AP shared the byline"
    shown = form.submit().follow()

    article = Article.objects.get(pk=annotated.pk)
    assert article.title == "Lavrov: withdrawing Iran's invitation was a mistake"
    assert article.byline == "Kashmira Gander and AP"
    assert article.published.isoformat() == "2014-01-21T13:00:00+00:00"
    # Untouched fields keep their values.
    assert (article.subtitle, article.source_name) == (annotated.subtitle, annotated.source_name)
    # The text and every annotation are exactly as before.
    assert text_state(article) == text_before
    assert annotation_state(article) == annotations_before
    assert shown.html.select_one("h1").text == article.title
    change = ArticleDetailsChange.objects.get()
    assert change.changed_by == alice and change.reason == "shorter title; AP shared the byline"
    assert set(change.before) == set(change.after) == {"title", "byline", "published"}
    assert change.before["byline"] == "Kashmira Gander"


@pytest.mark.django_db
def test_the_details_form_sent_untouched_changes_nothing(django_app, alice, annotated):
    from reader.models import Article, ArticleDetailsChange

    before = Article.objects.filter(pk=annotated.pk).values().get()
    django_app.get(details_url(annotated), user=alice).forms["article-details"].submit().follow()
    after = Article.objects.filter(pk=annotated.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert not ArticleDetailsChange.objects.exists()


@pytest.mark.django_db
def test_an_empty_title_is_refused_and_nothing_is_stored(django_app, alice, annotated):
    from reader.models import Article

    form = django_app.get(details_url(annotated), user=alice).forms["article-details"]
    form["title"] = ""
    response = form.submit(status=422)
    assert "This field is required." in response.text
    assert Article.objects.get(pk=annotated.pk).title == annotated.title


@pytest.mark.django_db
def test_another_member_may_not_edit_the_details(django_app, bob, annotated):
    from reader.models import Article

    reading = django_app.get(annotated.get_absolute_url(), user=bob)
    assert "Edit details" not in reading.text
    django_app.get(details_url(annotated), user=bob, status=403)
    # Not even with the importer's form, sent by bob.
    form = django_app.get(details_url(annotated), user="alice").forms["article-details"]
    form["title"] = "Taken over"
    django_app.set_user(bob)
    form.submit(status=403)
    assert Article.objects.get(pk=annotated.pk).title == annotated.title


@pytest.mark.django_db
def test_someone_outside_the_project_gets_404(django_app, make_user, make_project, annotated):
    outsider = make_user("olga", project=None)
    make_project("Elsewhere", outsider)
    django_app.get(details_url(annotated), user=outsider, status=404)
    django_app.post(details_url(annotated), user=outsider, status=403)  # no CSRF token: refused
    assert not annotated.details_changes.exists()


@pytest.mark.django_db
def test_a_manager_of_the_project_may_edit_and_staff_gets_nothing_more(
    django_app, make_user, default_project, annotated
):
    from reader.models import Article

    manager = make_user("mona", role="manager")
    form = django_app.get(details_url(annotated), user=manager).forms["article-details"]
    form["title"] = "Corrected by the manager"
    form.submit().follow()
    assert Article.objects.get(pk=annotated.pk).title == "Corrected by the manager"
    # is_staff is for the admin: an annotator who is staff is an annotator here.
    staff = make_user("sam", is_staff=True)
    django_app.get(details_url(annotated), user=staff, status=403)


@pytest.mark.django_db
def test_htmx_opens_the_form_in_place_and_answers_with_the_new_heading(alice_client, annotated):
    from reader.models import Article

    before = annotation_state(annotated)
    opened = alice_client.get(details_url(annotated), **HTMX)
    assert opened.status_code == 200
    html = opened.content.decode()
    assert "<html" not in html and 'id="article-details"' in html and "<form" in html
    cancel = alice_client.get(details_url(annotated) + "?cancel=1", **HTMX).content.decode()
    assert "<form" not in cancel
    assert pages.fragment(cancel).xpath("//h1")[0].text_content() == annotated.title

    fields = {
        "title": "A title from htmx",
        "subtitle": annotated.subtitle,
        "byline": annotated.byline,
        "published": "2014-01-21T12:32:00",
        "source_name": annotated.source_name,
        "reason": "",
    }
    saved = alice_client.post(details_url(annotated), fields, **HTMX)
    assert saved.status_code == 200
    html = saved.content.decode()
    assert "<form" not in html and "<h1" in html and "A title from htmx" in html
    assert Article.objects.get(pk=annotated.pk).title == "A title from htmx"
    assert annotation_state(annotated) == before

    refused = alice_client.post(details_url(annotated), {**fields, "title": " "}, **HTMX)
    assert refused.status_code == 422  # swapped by the page's htmx config: the form with its error
    assert "This field is required." in refused.content.decode()
    assert "<html" not in refused.content.decode()
