"""Creating, reading, editing and deleting annotations through the views, as page and fragment."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import NOTE_MAX_LENGTH, Annotation
from reader import services
from tests import pages
from tests.articles import plain_article

pytestmark = pytest.mark.django_db

CREATE = reverse("annotations:create")
QUOTE = "Damascus has denied all the claims of abuse."


def selection(article, quote: str, occurrence: int = 0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(quote, start + 1)
    return {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote}


def marks(html: str) -> list:
    return pages.parse(html).xpath('//*[@id="article-body"]//mark')


# ------------------------------------------------------------------ create


def test_create_without_htmx_redirects_to_the_article(alice_client, alice, article, stances):
    data = selection(article, QUOTE) | {
        "stances": [stances[0].pk, stances[2].pk],
        "note": "Denial, no evidence given.",
        "visibility": "private",
    }
    response = alice_client.post(CREATE, data)
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    annotation = Annotation.objects.get()
    assert annotation.user == alice and annotation.article == article
    assert (annotation.start, annotation.end, annotation.quote) == (
        data["start"],
        data["end"],
        QUOTE,
    )
    assert {s.name for s in annotation.stances.all()} == {"Russia", "Syrian opposition"}
    assert annotation.note == "Denial, no evidence given."
    assert annotation.visibility == "private"
    assert annotation.anchor_status == "anchored" and annotation.version == 1
    assert annotation.prefix == article.text[annotation.start - 32 : annotation.start]
    assert annotation.suffix == article.text[annotation.end : annotation.end + 32]


def test_create_with_htmx_returns_the_annotated_fragment(alice_client, article, stances):
    data = selection(article, QUOTE) | {"stances": [stances[1].pk], "note": "check"}
    response = alice_client.post(CREATE, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "annotations-changed" in json.loads(response["HX-Trigger"])
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="annotated"')
    annotation = Annotation.objects.get()
    assert annotation.visibility == "shared"
    found = marks(html)
    assert "".join(m.text_content() for m in found) == QUOTE
    assert all(pages.covering_ids(m, [annotation]) == str(annotation.pk) for m in found)
    card = pages.parse(html).xpath(f'//li[@id="ann-{annotation.pk}"]')[0]
    assert "check" in card.text_content() and "United States" in card.text_content()


def test_plain_highlight_without_stance_or_note(alice_client, article):
    response = alice_client.post(CREATE, selection(article, QUOTE))
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert list(annotation.stances.all()) == [] and annotation.note == ""


def test_selection_across_paragraphs(alice_client, article):
    quote = "abuse.\n\nAdditional reporting"
    response = alice_client.post(CREATE, selection(article, quote), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    annotation = Annotation.objects.get()
    found = marks(response.content.decode())
    assert [m.text_content() for m in found] == ["abuse.", "Additional reporting"]
    assert {pages.covering_ids(m, [annotation]) for m in found} == {str(annotation.pk)}


def bad_offsets(article) -> dict[str, tuple[dict, str]]:
    good = selection(article, QUOTE)
    n = len(article.text)
    return {
        "negative": (good | {"start": -1}, "negative"),
        "reversed": (good | {"start": good["end"], "end": good["start"]}, "end must come after"),
        "empty": (good | {"end": good["start"]}, "end must come after"),
        "past-the-end": (
            good | {"start": n - 3, "end": n + 5, "quote": article.text[-3:]},
            "past the end",
        ),
        "quote-mismatch": (good | {"quote": QUOTE.replace("denied", "admitted")}, "does not match"),
        "shifted": (good | {"start": good["start"] + 1, "end": good["end"] + 1}, "does not match"),
        "not-a-number": (good | {"start": "ten"}, "number"),
        "missing-quote": ({k: v for k, v in good.items() if k != "quote"}, "required"),
        "unknown-article": (good | {"article": 999999}, "select a valid choice"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "negative",
        "reversed",
        "empty",
        "past-the-end",
        "quote-mismatch",
        "shifted",
        "not-a-number",
        "missing-quote",
        "unknown-article",
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_offsets_are_a_400_with_a_message_and_store_nothing(alice_client, article, case, htmx):
    data, message = bad_offsets(article)[case]
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = alice_client.post(CREATE, data, **headers)
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in response.content.decode()
    assert Annotation.objects.count() == 0
    if htmx:
        assert response["HX-Retarget"] == "#toolbar-error"
        assert response["HX-Reswap"] == "innerHTML"
        assert "<html" not in response.content.decode()


def test_note_over_the_limit_is_refused(alice_client, article):
    data = selection(article, QUOTE) | {"note": "x" * (NOTE_MAX_LENGTH + 1)}
    response = alice_client.post(CREATE, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "10000" in response.content.decode() or "10,000" in response.content.decode()
    assert Annotation.objects.count() == 0


def test_note_at_the_limit_is_kept_whole(alice_client, article):
    note = "y" * NOTE_MAX_LENGTH
    alice_client.post(CREATE, selection(article, QUOTE) | {"note": note})
    assert Annotation.objects.get().note == note


def test_unknown_visibility_is_refused(alice_client, article):
    response = alice_client.post(CREATE, selection(article, QUOTE) | {"visibility": "public"})
    assert response.status_code == 400
    assert Annotation.objects.count() == 0


def test_create_is_post_only(alice_client):
    assert alice_client.get(CREATE).status_code == 405


# ------------------------------------------------------------------ code points and emoji

EMOJI_TEXT = plain_article(
    "Fans react to the final whistle",
    "Supporters posted 😀 and 👍🏽 within seconds, and the 🇬🇧 flag trended for an hour afterwards.",
    "The club said the celebrations were peaceful and thanked the stewards for their work.",
)


@pytest.fixture
def emoji_article(alice):
    article = services.article_import(raw=EMOJI_TEXT, user=alice, filename="fans.txt").article
    assert "👍🏽" in article.text and "🇬🇧" in article.text
    return article


def test_offsets_are_code_points_after_emoji(alice_client, emoji_article):
    quote = "flag trended for an hour"
    data = selection(emoji_article, quote)
    # In UTF-16 the emoji before it would push the offsets 4 units further.
    assert len(emoji_article.text[: data["start"]].encode("utf-16-le")) // 2 > data["start"]
    response = alice_client.post(CREATE, data)
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert annotation.quote == quote
    assert emoji_article.text[annotation.start : annotation.end] == quote


def test_utf16_offsets_are_refused(alice_client, emoji_article):
    quote = "flag trended for an hour"
    start = len(emoji_article.text[: emoji_article.text.index(quote)].encode("utf-16-le")) // 2
    data = {"article": emoji_article.pk, "start": start, "end": start + len(quote), "quote": quote}
    response = alice_client.post(CREATE, data)
    assert response.status_code == 400
    assert Annotation.objects.count() == 0


def test_annotation_covering_an_emoji_keeps_it_whole(alice_client, emoji_article):
    quote = "posted 😀 and 👍🏽"
    response = alice_client.post(CREATE, selection(emoji_article, quote), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Annotation.objects.get().quote == quote
    assert "".join(m.text_content() for m in marks(response.content.decode())) == quote


@pytest.mark.parametrize(
    ("label", "quote_around", "cut"),
    [
        ("skin-tone modifier", "and 👍🏽", -1),  # ends between 👍 and its modifier
        ("flag", "the 🇬🇧", -1),  # ends between the two regional indicators
    ],
)
def test_selection_splitting_an_emoji_sequence_is_refused(
    alice_client, emoji_article, label, quote_around, cut
):
    text = emoji_article.text
    start = text.index(quote_around)
    end = start + len(quote_around) + cut
    data = {"article": emoji_article.pk, "start": start, "end": end, "quote": text[start:end]}
    response = alice_client.post(CREATE, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400, label
    assert "emoji" in response.content.decode().lower() or "character" in response.content.decode()
    assert Annotation.objects.count() == 0


def test_selection_starting_inside_an_emoji_sequence_is_refused(alice_client, emoji_article):
    text = emoji_article.text
    start = text.index("🏽")  # the modifier, without the 👍 it belongs to
    end = start + len("🏽 within")
    data = {"article": emoji_article.pk, "start": start, "end": end, "quote": text[start:end]}
    response = alice_client.post(CREATE, data)
    assert response.status_code == 400
    assert Annotation.objects.count() == 0


def test_lone_surrogate_quote_is_refused(alice_client, emoji_article):
    text = emoji_article.text
    start = text.index("😀")
    data = {"article": emoji_article.pk, "start": start, "end": start + 1, "quote": "\ufffd"}
    response = alice_client.post(CREATE, data)
    assert response.status_code == 400
    assert Annotation.objects.count() == 0


# ------------------------------------------------------------------ reading, mine and others


def test_highlights_tell_mine_from_others(alice_client, alice, bob, article, make_annotation):
    mine = make_annotation(alice, article, "Damascus has denied")
    theirs = make_annotation(bob, article, "Additional reporting")
    root = pages.page(alice_client.get(article.get_absolute_url()))
    body_marks = root.xpath('//*[@id="article-body"]//mark')
    by_id = {pages.covering_ids(m, [mine, theirs]): m for m in body_marks}
    assert "hl-mine" in by_id[str(mine.pk)].get("class").split()
    assert "hl-others" not in by_id[str(mine.pk)].get("class").split()
    assert "hl-others" in by_id[str(theirs.pk)].get("class").split()
    assert "hl-mine" not in by_id[str(theirs.pk)].get("class").split()
    cards = {li.get("id"): li for li in root.xpath('//li[contains(@class, "card")]')}
    assert "mine" in cards[f"ann-{mine.pk}"].get("class").split()
    assert "mine" not in cards[f"ann-{theirs.pk}"].get("class").split()
    assert cards[f"ann-{mine.pk}"].xpath('.//a[contains(@href, "/edit/")]')
    assert not cards[f"ann-{theirs.pk}"].xpath('.//a[contains(@href, "/edit/")]')
    assert not cards[f"ann-{theirs.pk}"].xpath('.//a[contains(@href, "/delete/")]')


def test_cards_are_in_document_order(alice_client, alice, article, make_annotation):
    later = make_annotation(alice, article, "Additional reporting")
    earlier = make_annotation(alice, article, "Damascus has denied")
    root = pages.page(alice_client.get(article.get_absolute_url()))
    ids = [li.get("id") for li in root.xpath('//ol[@id="annotation-list"]/li')]
    assert ids == [f"ann-{earlier.pk}", f"ann-{later.pk}"]


def test_card_shows_when_it_was_last_changed(alice_client, alice, article, make_annotation):
    made = make_annotation(alice, article, "Damascus has denied")
    root = pages.page(alice_client.get(article.get_absolute_url()))
    time = root.xpath(f'//li[@id="ann-{made.pk}"]//time')[0]
    assert time.get("datetime") == made.updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert time.text == made.updated.strftime("%-d %b %Y, %H:%M UTC")


def test_filters_only_mine_and_by_stance(
    alice_client, alice, bob, article, stances, make_annotation
):
    mine = make_annotation(alice, article, "Damascus has denied", stance_names=["Russia"])
    theirs = make_annotation(bob, article, "Additional reporting", stance_names=["United States"])
    url = reverse("article_annotations:list", args=["default", article.slug])

    def card_ids(**params) -> set[str]:
        html = alice_client.get(url, params, HTTP_HX_REQUEST="true").content.decode()
        return {
            li.get("id") for li in pages.parse(html).xpath('//ol[@id="annotation-list"]/li[@id]')
        }

    assert card_ids() == {f"ann-{mine.pk}", f"ann-{theirs.pk}"}
    assert card_ids(f_mine="1") == {f"ann-{mine.pk}"}
    assert card_ids(f_stance=stances[1].pk) == {f"ann-{theirs.pk}"}
    assert card_ids(f_author="bob") == {f"ann-{theirs.pk}"}


def test_article_annotations_fragment_and_page(alice_client, article):
    url = reverse("article_annotations:list", args=["default", article.slug])
    full = alice_client.get(url)
    assert full.status_code == 302 and full.url == article.get_absolute_url()
    fragment = alice_client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith('<div id="annotated"')


def test_detail_as_page_and_fragment(alice_client, alice, article, make_annotation):
    annotation = make_annotation(alice, article, QUOTE, note="a note")
    url = reverse("annotations:detail", args=[annotation.pk])
    full = alice_client.get(url)
    assert full.status_code == 200 and b"<html" in full.content
    assert b"a note" in full.content
    fragment = alice_client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and b"a note" in fragment.content


# ------------------------------------------------------------------ edit and delete


@pytest.fixture
def annotation(alice, article, make_annotation):
    return make_annotation(alice, article, QUOTE, note="first", stance_names=["Russia"])


def test_edit_form_as_page_and_fragment(alice_client, annotation):
    url = reverse("annotations:edit", args=[annotation.pk])
    full = alice_client.get(url)
    assert full.status_code == 200 and b"<html" in full.content
    fragment = alice_client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<html" not in html and 'class="edit-form"' in html
    form = pages.parse(html).xpath("//form")[0]
    assert form.xpath('.//input[@name="version"]')[0].get("value") == "1"
    assert form.xpath(".//textarea")[0].text_content().strip() == "first"


def test_edit_without_htmx(alice_client, annotation, stances):
    response = alice_client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {"version": 1, "note": "second", "visibility": "private", "stances": [stances[1].pk]},
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.note == "second" and annotation.visibility == "private"
    assert [s.name for s in annotation.stances.all()] == ["United States"]
    assert annotation.version == 2


def test_edit_with_htmx_returns_the_annotated_fragment(alice_client, annotation):
    response = alice_client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {"version": 1, "note": "second", "visibility": "shared"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "annotations-changed" in json.loads(response["HX-Trigger"])
    assert 'id="annotated"' in response.content.decode()
    assert "second" in response.content.decode()


def test_stale_edit_is_409_with_the_current_text_and_the_first_edit_kept(alice_client, annotation):
    url = reverse("annotations:edit", args=[annotation.pk])
    first = alice_client.post(url, {"version": 1, "note": "tab one", "visibility": "shared"})
    assert first.status_code == 302
    stale = alice_client.post(
        url, {"version": 1, "note": "tab two", "visibility": "shared"}, HTTP_HX_REQUEST="true"
    )
    assert stale.status_code == 409
    html = stale.content.decode()
    form = pages.parse(html).xpath("//form")[0]
    assert form.xpath(".//textarea")[0].text_content().strip() == "tab one"
    assert form.xpath('.//input[@name="version"]')[0].get("value") == "2"
    assert "changed" in html.lower() and "tab two" in html
    assert stale["HX-Retarget"] == f"#ann-{annotation.pk}"
    annotation.refresh_from_db()
    assert annotation.note == "tab one" and annotation.version == 2


def test_stale_edit_without_htmx_is_409_too(alice_client, annotation):
    url = reverse("annotations:edit", args=[annotation.pk])
    alice_client.post(url, {"version": 1, "note": "tab one", "visibility": "shared"})
    stale = alice_client.post(url, {"version": 1, "note": "tab two", "visibility": "shared"})
    assert stale.status_code == 409 and b"<html" in stale.content
    assert b"tab one" in stale.content
    annotation.refresh_from_db()
    assert annotation.note == "tab one"


def test_edit_with_a_note_over_the_limit_is_refused(alice_client, annotation):
    response = alice_client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {"version": 1, "note": "z" * (NOTE_MAX_LENGTH + 1), "visibility": "shared"},
        HTTP_HX_REQUEST="true",
    )
    assert 400 <= response.status_code < 500
    annotation.refresh_from_db()
    assert annotation.note == "first" and annotation.version == 1


def test_delete_confirmation_page(alice_client, annotation):
    response = alice_client.get(reverse("annotations:delete", args=[annotation.pk]))
    assert response.status_code == 200
    assert QUOTE.encode() in response.content
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_delete_without_htmx_redirects(alice_client, annotation, article):
    response = alice_client.post(reverse("annotations:delete", args=[annotation.pk]))
    assert response.status_code == 302 and response.url == article.get_absolute_url()
    assert not Annotation.objects.exists()


def test_delete_with_htmx_returns_the_updated_fragment(alice_client, annotation):
    response = alice_client.post(
        reverse("annotations:delete", args=[annotation.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "annotations-changed" in json.loads(response["HX-Trigger"])
    html = response.content.decode()
    assert 'id="annotated"' in html and marks(html) == []
    assert str(annotation.pk) not in html
    assert not Annotation.objects.exists()


# ------------------------------------------------------------------ changes endpoint


def changes(client, article, token: str = ""):
    url = reverse("article_annotations:changes", args=["default", article.slug])
    return client.get(url, {"since": token} if token else {}, HTTP_HX_REQUEST="true")


def token_from(response) -> str:
    from urllib.parse import parse_qs, urlsplit

    poller = pages.parse(response.content.decode()).xpath('//*[@id="poller"]')[0]
    return parse_qs(urlsplit(poller.get("hx-get")).query)["since"][0]


def test_changes_is_204_when_nothing_changed(bob_client, article):
    token = token_from(bob_client.get(article.get_absolute_url()))
    assert changes(bob_client, article, token).status_code == 204


def test_changes_reports_a_new_shared_annotation_by_another_user(
    bob_client, alice, article, make_annotation
):
    token = token_from(bob_client.get(article.get_absolute_url()))
    make_annotation(alice, article, QUOTE)
    response = changes(bob_client, article, token)
    assert response.status_code == 200
    assert "annotations-stale" in json.loads(response["HX-Trigger"])
    new_token = token_from(response)
    assert new_token != token
    assert changes(bob_client, article, new_token).status_code == 204


def test_changes_ignores_another_users_private_annotation(
    bob_client, alice, article, make_annotation
):
    token = token_from(bob_client.get(article.get_absolute_url()))
    make_annotation(alice, article, QUOTE, visibility="private")
    assert changes(bob_client, article, token).status_code == 204


def test_changes_reports_an_edit_and_a_delete(bob_client, alice, article, make_annotation):
    from annotations.services import annotation_delete, annotation_update

    shared = make_annotation(alice, article, QUOTE)
    token = token_from(bob_client.get(article.get_absolute_url()))
    annotation_update(annotation=shared, version=1, stances=[], note="edited", visibility="shared")
    response = changes(bob_client, article, token)
    assert response.status_code == 200
    token = token_from(response)
    annotation_delete(annotation=Annotation.objects.get(pk=shared.pk))
    assert changes(bob_client, article, token).status_code == 200


def test_the_page_token_and_the_changes_token_agree(alice_client, alice, article, make_annotation):
    make_annotation(alice, article, QUOTE)
    make_annotation(alice, article, "Additional reporting", visibility="private")
    token = token_from(alice_client.get(article.get_absolute_url()))
    assert changes(alice_client, article, token).status_code == 204
