"""Saving on an annotated article sends only what changed, as htmx out-of-band swaps."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from annotations.models import Annotation
from reader.importing.sanitize import BLOCK_TAGS
from tests import pages

pytestmark = pytest.mark.django_db

QUOTE = "The unease over the offer highlights the different views over Syria"


def _seen(client, article) -> str:
    """The change token the reading page carries (what the reader has seen)."""
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    return page.xpath('//input[@name="seen"]')[0].get("value")


def _create(client, article, quote, *, seen=None, **extra):
    start = article.text.index(quote)
    data = {
        "article": article.pk,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        **extra,
    }
    data["seen"] = _seen(client, article) if seen is None else seen
    return client.post(reverse("annotations:create"), data, HTTP_HX_REQUEST="true")


def _fragments(response):
    return lxml.html.fragments_fromstring(response.content.decode())


def test_a_save_on_an_annotated_article_swaps_only_what_changed(
    alice_client, alice, bob, article, make_annotation, stances
):
    make_annotation(bob, article, "Damascus has denied all the claims of abuse.", note="bob's")
    response = _create(alice_client, article, QUOTE, stances=[stances[0].pk], note="tension")
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    new = Annotation.objects.get(quote=QUOTE)
    parts = _fragments(response)
    oob = {p.get("hx-swap-oob") for p in parts}
    block_offset = next(
        int(b.get("data-offset"))
        for b in lxml.html.fragment_fromstring(f"<div>{article.body_html}</div>").iter(*BLOCK_TAGS)
        if QUOTE in b.text_content()
    )
    assert f'outerHTML:#article-body [data-offset="{block_offset}"]' in oob
    # Only the touched block comes back, carrying the new highlight.
    blocks = [p for p in parts if p.get("data-offset") is not None]
    assert len(blocks) == 1
    marks = blocks[0].xpath(".//mark")
    assert "".join(m.text_content() for m in marks) == QUOTE
    assert all(pages.covering_ids(m, [new]) == str(new.pk) for m in marks)
    # The card goes in document order: before bob's, which comes later in the text.
    bobs = Annotation.objects.get(user=bob)
    card_holder = next(
        p
        for p in parts
        if (p.get("hx-swap-oob") or "").startswith("before") and "#ann-" in p.get("hx-swap-oob")
    )
    assert card_holder.get("hx-swap-oob") == f"beforebegin:#ann-{bobs.pk}"
    assert card_holder.xpath(f'.//li[@id="ann-{new.pk}"]')
    assert "tension" in card_holder.text_content()
    # Counts, the author filter and the change token follow.
    by_id = {p.get("id"): p for p in parts if p.get("id")}
    assert by_id["annotation-total"].text_content() == "(2)"
    assert "alice" in by_id["filter-author"].text_content()
    poller = by_id["poller"]
    assert poller.get("hx-swap-oob") == "true"
    token_response = alice_client.get(
        reverse("article_annotations:changes", args=["default", article.slug])
        + "?since="
        + poller.get("hx-get").split("since=")[1],
        HTTP_HX_REQUEST="true",
    )
    assert token_response.status_code == 204


def test_the_last_annotation_in_the_text_is_appended(alice_client, alice, article, make_annotation):
    make_annotation(alice, article, "Russia’s Foreign Minister has called")
    response = _create(alice_client, article, "Damascus has denied all the claims of abuse.")
    holders = [p for p in _fragments(response) if (p.get("hx-swap-oob") or "").startswith("before")]
    assert [h.get("hx-swap-oob") for h in holders] == ["beforeend:#annotation-list"]


def test_the_swapped_block_never_carries_anothers_private_highlight(
    alice_client, bob_client, alice, bob, article, make_annotation
):
    make_annotation(
        alice, article, "The unease over the offer", visibility="private", note="secret"
    )
    make_annotation(alice, article, "Damascus has denied")
    response = _create(bob_client, article, "highlights the different views over Syria")
    body = response.content.decode()
    private = Annotation.objects.get(note="secret")
    assert str(private.pk) not in body and "secret" not in body


def test_the_first_annotation_and_filtered_views_get_the_whole_fragment(
    alice_client, alice, article, make_annotation
):
    first = _create(alice_client, article, QUOTE)
    assert "HX-Reswap" not in first
    assert 'id="annotated"' in first.content.decode()
    filtered = alice_client.post(
        reverse("annotations:create"),
        {
            "article": article.pk,
            "start": article.text.index("Damascus"),
            "end": article.text.index("Damascus") + len("Damascus"),
            "quote": "Damascus",
            "f_mine": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert filtered.status_code == 200
    assert 'id="annotated"' in filtered.content.decode()


def test_after_an_incremental_save_a_reload_shows_the_same_highlights(
    alice_client, alice, bob, article, make_annotation
):
    make_annotation(bob, article, "Damascus has denied all the claims of abuse.")
    response = _create(alice_client, article, QUOTE)
    swapped = next(p for p in _fragments(response) if p.get("data-offset") is not None)
    page = lxml.html.fromstring(alice_client.get(article.get_absolute_url()).content)
    same_block = page.xpath(
        f'//*[@id="article-body"]//*[@data-offset="{swapped.get("data-offset")}"]'
    )[0]
    del swapped.attrib["hx-swap-oob"]
    assert lxml.html.tostring(same_block) == lxml.html.tostring(swapped)


def test_a_page_that_missed_someone_elses_change_gets_the_whole_fragment(
    alice_client, alice, bob, article, make_annotation
):
    make_annotation(alice, article, "Russia’s Foreign Minister has called")
    seen = _seen(alice_client, article)
    make_annotation(bob, article, "Damascus has denied all the claims of abuse.", note="unseen")
    response = _create(alice_client, article, QUOTE, seen=seen)
    assert "HX-Reswap" not in response
    assert "unseen" in response.content.decode()


def test_a_save_slipping_in_after_the_check_leaves_the_page_to_its_poller(
    alice_client, alice, bob, article, make_annotation, monkeypatch
):
    # Someone else saves between the page's up-to-date check and this save: the
    # patch cannot show their annotation, so its token must not claim the
    # server's state, and the poller then fetches the whole fragment.
    from annotations import views

    make_annotation(alice, article, "Russia’s Foreign Minister has called")
    checked = views.visible_summary

    def check_then_bob_saves(*args, **kwargs):
        summary = checked(*args, **kwargs)
        make_annotation(bob, article, "Damascus has denied all the claims of abuse.")
        return summary

    monkeypatch.setattr(views, "visible_summary", check_then_bob_saves)
    response = _create(alice_client, article, QUOTE)
    assert response["HX-Reswap"] == "none"
    by_id = {p.get("id"): p for p in _fragments(response) if p.get("id")}
    assert by_id["annotation-total"].text_content() == "(2)"
    since = by_id["poller"].get("hx-get").split("since=")[1]
    changes = alice_client.get(
        reverse("article_annotations:changes", args=["default", article.slug]) + "?since=" + since,
        HTTP_HX_REQUEST="true",
    )
    assert changes.status_code == 200


def test_the_poller_never_moves_the_token_a_save_is_checked_against(
    alice_client, alice, bob, article, make_annotation
):
    """The poller learns of a change before the page shows it (the refresh waits while
    the reader is selecting); a save made then must get the whole fragment, not a patch
    aimed at cards the page does not have yet."""
    make_annotation(alice, article, "Damascus has denied all the claims of abuse.")
    shown = _seen(alice_client, article)
    make_annotation(bob, article, "Russia has been a key ally to Syria during the crisis")
    poll = alice_client.get(
        reverse("article_annotations:changes", args=["default", article.slug]),
        {"since": shown},
        HTTP_HX_REQUEST="true",
    )
    assert poll.status_code == 200
    assert b'name="seen"' not in poll.content
    response = _create(alice_client, article, QUOTE, seen=shown)
    assert "HX-Reswap" not in response
    assert b'id="annotated"' in response.content
