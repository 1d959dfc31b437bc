"""An edited file without an address is recognised as an update of the article it came
from (same project, same title, text at least 90 % similar), not a second article."""

from __future__ import annotations

import pytest
from django.urls import reverse
from webtest import Upload

from annotations.models import Annotation
from reader import services
from reader.models import Article, ArticleProposal, ArticleVersion
from reader.similar import similar_article
from tests import pages
from tests.articles import FLOODS, plain_article

pytestmark = pytest.mark.django_db

TITLE, *PARAGRAPHS = FLOODS
EXTRA = "Engineers said the first walls would be finished before the autumn storms began."
ORIGINAL = plain_article(TITLE, *PARAGRAPHS, EXTRA)
# One word changed and one sentence added: the same article, edited.
EDITED = plain_article(
    TITLE,
    PARAGRAPHS[0].replace("Monday", "Tuesday"),
    *PARAGRAPHS[1:],
    EXTRA,
    "A spokesman added that the towns would be consulted.",
)
REWRITTEN = plain_article(
    TITLE,
    "Nothing was announced about the river this week, a spokesman for the ministry said.",
    PARAGRAPHS[2],
)


@pytest.fixture
def floods(alice) -> Article:
    """Alice imported the file; no address is known."""
    outcome = services.article_import(raw=ORIGINAL, user=alice, filename="floods.txt")
    assert outcome.article.source_url is None
    return outcome.article


def upload_preview(django_app, user, raw: bytes, name: str = "floods.txt"):
    page = django_app.get(reverse("reader:article_import", args=["default"]), user=user)
    form = page.forms["import-form"]
    form["files"] = [Upload(name, raw, "text/plain")]
    return form.submit().follow()


def offer(preview) -> str:
    (block,) = pages.page(preview).xpath('//*[contains(@class, "similar-offer")]')
    return " ".join(pages.text_of(block).split())


def prepared_text(raw: bytes) -> str:
    return services.prepare_input(raw, filename="floods.txt").text


def test_similar_text_with_the_same_title_is_found_with_its_similarity(floods, default_project):
    text = prepared_text(EDITED)
    match = similar_article(project=default_project, title=floods.title, text=text)
    assert match is not None and match.article == floods
    assert 90 <= match.similarity < 100
    # Case and spacing of the title do not matter; the title itself does.
    spaced = f"  {floods.title.upper()}  ".replace(" ", "  ")
    assert similar_article(project=default_project, title=spaced, text=text).article == floods
    assert similar_article(project=default_project, title="Another title", text=text) is None
    # Identical text is already recognised by its hash; a rewrite is another article.
    assert similar_article(project=default_project, title=floods.title, text=floods.text) is None
    rewritten = prepared_text(REWRITTEN)
    assert similar_article(project=default_project, title=floods.title, text=rewritten) is None


def test_only_articles_of_the_same_project_are_offered(floods, alice, make_project):
    other = make_project("Elsewhere", alice)
    text = prepared_text(EDITED)
    assert similar_article(project=other, title=floods.title, text=text) is None


def test_an_input_with_an_address_is_only_offered_articles_without_one(floods, default_project):
    text = prepared_text(EDITED)
    url = "https://news.example/floods"
    assert similar_article(project=default_project, title=floods.title, text=text, source_url=url)
    Article.objects.filter(pk=floods.pk).update(source_url="https://news.example/other")
    assert (
        similar_article(project=default_project, title=floods.title, text=text, source_url=url)
        is None
    )


def test_the_importer_updates_the_article_from_the_preview_and_annotations_follow(
    django_app, floods, alice, make_annotation
):
    note = make_annotation(alice, floods, "new walls and pumps", note="cost?")
    preview = upload_preview(django_app, alice, EDITED)
    shown = offer(preview)
    match = similar_article(project=floods.project, title=floods.title, text=prepared_text(EDITED))
    assert f"{match.similarity:.0f} % similar" in shown.replace("\xa0", " ")
    assert f"“{floods.title}”" in shown and "by alice" in shown
    assert preview.forms["preview-form"]["update_of"].value is None  # a button, not a field

    response = preview.forms["preview-form"].submit("update_of").follow()

    assert Article.objects.count() == 1
    article = Article.objects.get(pk=floods.pk)
    assert article.version == 2 and "Tuesday" in article.text and "consulted" in article.text
    assert article.imported_by == alice and article.slug == floods.slug
    assert ArticleVersion.objects.get(article=article, number=1).text == floods.text
    note.refresh_from_db()
    assert article.text[note.start : note.end] == note.quote == "new walls and pumps"
    assert note.article_id == floods.pk and note.note == "cost?"
    assert f"Updated “{floods.title}”" in response.text


def test_someone_who_may_not_edit_it_proposes_the_update(django_app, floods, bob):
    preview = upload_preview(django_app, bob, EDITED)
    assert "Propose as an update" in offer(preview) and "wait for their review" in offer(preview)

    response = preview.forms["preview-form"].submit("update_of").follow()

    assert Article.objects.count() == 1
    article = Article.objects.get(pk=floods.pk)
    assert (article.version, article.text) == (1, floods.text)
    proposal = ArticleProposal.objects.get()
    assert proposal.article == article and proposal.proposed_by == bob
    assert "Tuesday" in proposal.text
    assert "waits for their review" in response.text


def test_a_manager_may_update_someone_elses_article(django_app, floods, make_user, default_project):
    manager = make_user("mia", project=default_project, role="manager")
    preview = upload_preview(django_app, manager, EDITED)
    assert "Update that article" in offer(preview)
    preview.forms["preview-form"].submit("update_of").follow()
    assert Article.objects.get(pk=floods.pk).version == 2
    assert Article.objects.count() == 1


def test_saving_as_a_new_article_is_still_possible(django_app, floods, alice):
    preview = upload_preview(django_app, alice, EDITED)
    form = preview.forms["preview-form"]
    assert "Save as a new article" in preview.text
    form.submit().follow()
    assert Article.objects.count() == 2
    assert Article.objects.get(pk=floods.pk).version == 1


def test_a_rewritten_text_is_not_offered_as_an_update(django_app, floods, alice):
    preview = upload_preview(django_app, alice, REWRITTEN)
    assert not pages.page(preview).xpath('//*[contains(@class, "similar-offer")]')
    assert "Save article" in preview.text


def test_an_update_of_an_article_the_text_does_not_resemble_is_refused(django_app, floods, alice):
    unrelated = services.article_import(
        raw=plain_article("Harbour report", "Boats were moored in May."), user=alice
    ).article
    preview = upload_preview(django_app, alice, EDITED)
    form = preview.forms["preview-form"]
    # A tampered button: the page offered floods, the request names another article.
    form.fields["update_of"][0].force_value(str(unrelated.pk))
    response = form.submit("update_of").follow()
    assert "no longer recognised as an update" in response.text
    assert Article.objects.count() == 2
    assert Article.objects.get(pk=unrelated.pk).version == 1
    assert Article.objects.get(pk=floods.pk).version == 1


def test_an_update_of_an_article_of_another_project_is_refused(
    django_app, floods, alice, make_project
):
    other = make_project("Elsewhere", alice)
    stranger = services.article_import(raw=ORIGINAL, user=alice, project=other).article
    preview = upload_preview(django_app, alice, EDITED)
    form = preview.forms["preview-form"]
    form.fields["update_of"][0].force_value(str(stranger.pk))
    response = form.submit("update_of").follow()
    assert "not one this text can update" in response.text
    assert Article.objects.get(pk=stranger.pk).version == 1
    assert Article.objects.count() == 2


def test_the_service_refuses_an_update_that_is_not_the_similar_article(floods, alice):
    with pytest.raises(services.ImportFailed, match="no longer recognised"):
        services.article_import(raw=REWRITTEN, user=alice, update_of=floods)
    assert Article.objects.count() == 1
    assert Annotation.objects.count() == 0


def test_a_title_outside_ascii_is_recognised(alice, default_project):
    """The database upper-cases both sides (SQLite's UPPER leaves é alone, Python's not)."""
    title = "Émeutes à Paris : le préfet s’explique"
    original = plain_article(title, *PARAGRAPHS, EXTRA)
    article = services.article_import(raw=original, user=alice, filename="émeutes.txt").article
    assert article.title == title
    edited = prepared_text(plain_article(title, *PARAGRAPHS, EXTRA, "Une phrase de plus."))
    match = similar_article(project=default_project, title=title, text=edited)
    assert match is not None and match.article == article
