"""An article is changed only by a fetch of its address or by someone allowed to edit it;
every change keeps the previous version and tells readers what moved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from annotations.reading import change_token
from reader import services
from reader.models import Article, ArticleProposal, ArticleVersion
from tests import pages
from tests.articles import FLOODS, html_article

pytestmark = pytest.mark.django_db

URL = "https://news.example.org/2024/floods"
UNAWARE = "The minister said he was unaware of the cost until the report came out."
FULLY_AWARE = "The minister said he was fully aware of the cost until the report came out."
FORGED = (
    "Nothing at all was announced on Monday about the river, a spokesman for the ministry said.",
    "There will be no new walls and no pumps, and the three towns will have to pay for themselves.",
)


def page_claiming(url: str, *paragraphs: str, title: str = FLOODS[0]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html><head><title>{title}</title><link rel="canonical" href="{url}">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


@pytest.fixture
def floods(alice) -> Article:
    """Alice fetched the page; its address is the article's source."""
    return services.article_import(
        raw=html_article(FLOODS[0], *FLOODS[1:], UNAWARE), user=alice, url=URL
    ).article


def paste_and_save(django_app, user, text: str):
    page = django_app.get(reverse("reader:article_import", args=["default"]), user=user)
    form = page.forms["import-form"]
    form["text"] = text
    preview = form.submit().follow()
    return preview.forms["preview-form"].submit().follow()


def test_pasted_page_claiming_an_article_does_not_rewrite_it(
    django_app, floods, alice, bob, make_annotation
):
    note = make_annotation(alice, floods, "would pay for new walls and pumps", note="cost?")
    before = Article.objects.get(pk=floods.pk)
    forged = page_claiming(URL, *FORGED, title="Forged")

    response = paste_and_save(django_app, bob, forged)

    after = Article.objects.get(pk=floods.pk)
    assert (after.title, after.text, after.version) == (before.title, before.text, 1)
    assert after.imported_by == alice and after.source_url == URL
    assert Article.objects.count() == 1
    note.refresh_from_db()
    assert note.anchor_status == Annotation.AnchorStatus.ANCHORED
    proposal = ArticleProposal.objects.get()
    assert proposal.proposed_by == bob and proposal.status == ArticleProposal.Status.PENDING
    assert "waits for their review" in response.text


def test_proposed_update_is_reviewed_with_a_diff_and_accepted_by_the_importer(
    django_app, floods, alice, bob, make_annotation
):
    kept = make_annotation(alice, floods, "would pay for new walls and pumps")
    added = "A spokesman added that work would begin before the winter rains."
    paste_and_save(django_app, bob, page_claiming(URL, *FLOODS[1:3], added, UNAWARE))
    proposal = ArticleProposal.objects.get()

    reading = django_app.get(floods.get_absolute_url(), user=alice)
    review = reading.click(href=reverse("reader:proposal_review", args=["default", floods.slug, proposal.pk]))
    assert [ins.text_content() for ins in pages.parse(review.text).xpath("//ins")] == [added]
    assert [d.text_content() for d in pages.parse(review.text).xpath("//del")] == [FLOODS[3]]
    review.forms["decide"].submit("decision", value="accept").follow()

    article = Article.objects.get(pk=floods.pk)
    assert article.version == 2 and added in article.text
    assert article.imported_by == alice and article.source_url == URL
    old = ArticleVersion.objects.get(article=article, number=1)
    assert FLOODS[3] in old.text and old.title == FLOODS[0]
    new = ArticleVersion.objects.get(article=article, number=2)
    assert new.created_by == alice and "bob" in new.reason and new.text == article.text
    proposal.refresh_from_db()
    assert proposal.status == ArticleProposal.Status.ACCEPTED and proposal.decided_by == alice
    kept.refresh_from_db()
    assert article.text[kept.start : kept.end] == kept.quote and kept.article_version == 2


def test_a_third_user_neither_sees_nor_decides_a_proposal(
    django_app, client, floods, bob, make_user
):
    paste_and_save(django_app, bob, page_claiming(URL, *FORGED))
    proposal = ArticleProposal.objects.get()
    carol = make_user("carol")
    url = reverse("reader:proposal_review", args=["default", floods.slug, proposal.pk])
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert "proposal" not in client.get(floods.get_absolute_url()).content.decode()
    # The proposer sees it, without the buttons.
    own = django_app.get(url, user=bob)
    assert "decide" not in own.forms
    assert Article.objects.get(pk=floods.pk).version == 1


def test_proposer_cannot_accept_their_own_proposal(client, floods, bob):
    paste_and_save_direct = services.article_import(
        raw=page_claiming(URL, *FORGED).encode(), user=bob
    )
    assert paste_and_save_direct.status == services.PROPOSED
    client.force_login(bob)
    url = reverse("reader:proposal_review", args=["default", floods.slug, paste_and_save_direct.proposal.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    assert Article.objects.get(pk=floods.pk).version == 1


def test_a_manager_and_the_importer_may_update_by_pasting(
    floods, alice, staff, make_user, make_member, default_project
):
    # Staff who are not the project's managers only propose, like anyone else.
    outcome = services.article_import(
        raw=page_claiming(URL, *FLOODS[1:3], "Staff tried to correct it.").encode(), user=staff
    )
    assert outcome.status == services.PROPOSED
    manager = make_user("mia")
    make_member(manager, default_project, "manager")
    outcome = services.article_import(
        raw=page_claiming(URL, *FLOODS[1:3], "The manager corrected the last line.").encode(),
        user=manager,
    )
    assert outcome.status == services.UPDATED
    outcome = services.article_import(
        raw=page_claiming(URL, *FLOODS[1:3], "Alice corrected it again.").encode(), user=alice
    )
    assert outcome.status == services.UPDATED and outcome.article.version == 3
    assert list(floods.versions.values_list("number", flat=True)) == [1, 2, 3]


def test_a_fetch_of_the_address_updates_whoever_asks(floods, bob):
    outcome = services.article_import(
        raw=html_article(FLOODS[0], *FLOODS[1:3], "The page itself now says this."), user=bob, url=URL
    )
    assert outcome.status == services.UPDATED
    version = floods.versions.get(number=2)
    assert version.created_by == bob and URL in version.reason


def test_a_page_fetched_elsewhere_claiming_an_address_is_a_separate_article(floods, bob):
    outcome = services.article_import(
        raw=page_claiming(URL, *FORGED).encode(),
        user=bob,
        url="https://mirror.example.net/copy",
    )
    assert outcome.status == services.IMPORTED and outcome.article.pk != floods.pk
    assert Article.objects.get(pk=floods.pk).version == 1


def test_negation_edit_orphans_instead_of_moving_and_the_page_says_so(
    floods, alice, bob, alice_client, bob_client, make_annotation
):
    claim = make_annotation(alice, floods, UNAWARE)
    mine = make_annotation(bob, floods, "would pay for new walls and pumps")
    services.article_import(
        raw=html_article(FLOODS[0], *FLOODS[1:], FULLY_AWARE), user=alice, url=URL
    )
    claim.refresh_from_db()
    assert claim.anchor_status == Annotation.AnchorStatus.ORPHANED
    assert claim.quote == UNAWARE and claim.article_version == 1
    mine.refresh_from_db()
    assert mine.article_version == 2

    notice = pages.page(bob_client.get(floods.get_absolute_url())).xpath(
        '//p[contains(@class, "article-updated")]'
    )[0]
    assert "0 annotations moved, 1 orphaned" in notice.text_content()
    link = notice.xpath(".//a")[0].get("href")
    diff = bob_client.get(link)
    root = pages.page(diff)
    assert [d.text_content() for d in root.xpath("//del")] == [UNAWARE]
    assert [i.text_content() for i in root.xpath("//ins")] == [FULLY_AWARE]


def test_private_annotations_of_others_are_not_counted_in_the_notice(
    floods, alice, bob_client, make_annotation
):
    make_annotation(alice, floods, UNAWARE, visibility="private")
    services.article_import(
        raw=html_article(FLOODS[0], *FLOODS[1:], FULLY_AWARE), user=alice, url=URL
    )
    notice = pages.page(bob_client.get(floods.get_absolute_url())).xpath(
        '//p[contains(@class, "article-updated")]'
    )[0]
    assert "0 annotations moved, 0 orphaned" in notice.text_content()


def test_moved_annotation_shows_its_original_quote_until_its_owner_confirms(
    django_app, floods, alice, bob, make_annotation
):
    quote = "Officials said the money would pay for new walls and pumps in three towns"
    annotation = make_annotation(alice, floods, quote)
    edited = FLOODS[2].replace("new walls", "sturdier walls")
    services.article_import(
        raw=html_article(FLOODS[0], FLOODS[1], edited, FLOODS[3], UNAWARE), user=alice, url=URL
    )
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.MOVED
    assert annotation.original_quote == quote and "sturdier walls" in annotation.quote

    as_bob = django_app.get(floods.get_absolute_url(), user=bob)
    card = pages.parse(as_bob.text).xpath(f'//*[@id="ann-{annotation.pk}"]')[0]
    assert quote in card.xpath('.//*[contains(@class, "original-quote")]')[0].text_content()
    assert "Keep it here" not in card.text_content()

    as_alice = django_app.get(floods.get_absolute_url(), user=alice)
    confirm = as_alice.click(href=reverse("annotations:confirm", args=[annotation.pk]))
    confirm.forms["confirm"].submit().follow()
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.ANCHORED
    assert annotation.original_quote == ""


def test_others_cannot_confirm_a_moved_annotation(floods, alice, bob_client, make_annotation):
    annotation = make_annotation(alice, floods, "would pay for new walls and pumps in three towns")
    edited = FLOODS[2].replace("new walls", "sturdier walls")
    services.article_import(
        raw=html_article(FLOODS[0], FLOODS[1], edited, FLOODS[3], UNAWARE), user=alice, url=URL
    )
    response = bob_client.post(reverse("annotations:confirm", args=[annotation.pk]))
    assert response.status_code == 403
    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.AnchorStatus.MOVED


def test_reimport_changes_the_change_token(floods, alice, bob):
    before = change_token(floods, bob)
    services.article_import(raw=html_article(FLOODS[0], *FLOODS[1:3]), user=alice, url=URL)
    after = change_token(Article.objects.get(pk=floods.pk), bob)
    assert before != after


def test_save_computed_on_the_previous_text_lands_on_its_quote(floods, alice, bob):
    from annotations.services import annotation_create

    seen = Article.objects.get(pk=floods.pk)  # what bob's page was built from
    quote = "would pay for new walls and pumps"
    start = seen.text.index(quote)
    inserted = "A spokesman added that work would begin before the winter rains."
    services.article_import(raw=html_article(FLOODS[0], inserted, *FLOODS[1:]), user=alice, url=URL)

    annotation = annotation_create(
        user=bob, article=seen, start=start, end=start + len(quote), quote=quote
    )
    current = Article.objects.get(pk=floods.pk).text
    assert current[annotation.start : annotation.end] == quote
    assert annotation.start == current.index(quote) and annotation.article_version == 2


def test_save_on_a_passage_that_the_update_removed_asks_to_reload(floods, alice, bob):
    from annotations.services import RELOAD, AnnotationError, annotation_create

    seen = Article.objects.get(pk=floods.pk)
    start = seen.text.index(UNAWARE)
    services.article_import(raw=html_article(FLOODS[0], *FLOODS[1:], FULLY_AWARE), user=alice, url=URL)

    with pytest.raises(AnnotationError, match="reload"):
        annotation_create(
            user=bob, article=seen, start=start, end=start + len(UNAWARE), quote=UNAWARE
        )
    assert "reload" in RELOAD
    assert not Annotation.objects.exists()
