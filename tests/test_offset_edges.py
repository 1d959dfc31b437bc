"""Offsets that cut a user-perceived character, or are not offsets at all: a 400, nothing stored.

test_annotation_views covers negative, reversed, empty and past-the-end offsets, skin-tone
and flag sequences and a lone surrogate; these are the remaining shapes of the same rule.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from reader import services
from tests.articles import plain_article

pytestmark = [pytest.mark.django_db]

CREATE = reverse("annotations:create")
FAMILY = "👨\u200d👩\u200d👧"  # one glyph, five code points joined by zero-width joiners
KEYCAP = "3\ufe0f\u20e3"
ACCENTED = "e\u0301"  # é as e and a combining acute accent
TEXT = plain_article(
    "Supporters gather in the square",
    f"Families posted {FAMILY} all evening while the band played on the steps outside.",
    f"The mayor, Jos{ACCENTED} Ortega, gave the team the {KEYCAP} trophies they had been promised.",
)


@pytest.fixture
def glyph_article(alice):
    article = services.article_import(raw=TEXT, user=alice, filename="square.txt").article
    assert FAMILY in article.text and ACCENTED in article.text and KEYCAP in article.text
    return article


def cut_inside(text: str, glyph: str) -> list[tuple[int, int]]:
    """Every selection that starts or ends strictly inside glyph, with whole words around it."""
    at = text.index(glyph)
    word_start = text.rfind(" ", 0, at) + 1
    word_end = text.index(" ", at + len(glyph))
    inside = range(at + 1, at + len(glyph))
    return [(word_start, cut) for cut in inside] + [(cut, word_end) for cut in inside]


@pytest.mark.parametrize("glyph", [FAMILY, KEYCAP, ACCENTED], ids=["zwj", "keycap", "combining"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_selection_cutting_a_glyph_anywhere_is_a_400(
    alice_client, glyph_article, glyph, htmx, settings
):
    settings.ANNOTATION_CREATE_RATES = ()  # no limit: many saves in one test
    text = glyph_article.text
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for start, end in cut_inside(text, glyph):
        data = {"article": glyph_article.pk, "start": start, "end": end, "quote": text[start:end]}
        response = alice_client.post(CREATE, data, **headers)
        assert response.status_code == 400, (start, end)
        assert "select whole characters" in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("glyph", [FAMILY, KEYCAP, ACCENTED], ids=["zwj", "keycap", "combining"])
def test_a_selection_around_the_whole_glyph_is_kept(alice_client, glyph_article, glyph):
    text = glyph_article.text
    start = text.index(glyph)
    end = start + len(glyph)
    data = {"article": glyph_article.pk, "start": start, "end": end, "quote": glyph}
    assert alice_client.post(CREATE, data).status_code == 302
    assert Annotation.objects.get().quote == glyph


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, 2**63),
        (2**63, 2**63 + 5),
        (-(2**63), 5),
        ("1e3", "1e4"),
        ("0x10", "0x20"),
        ("3.5", "9"),
        ("", "9"),
        ("٣", "٩"),  # Arabic-Indic digits
    ],
)
def test_offsets_that_are_not_small_integers_are_a_400(alice_client, glyph_article, start, end):
    data = {"article": glyph_article.pk, "start": start, "end": end, "quote": "Families"}
    response = alice_client.post(CREATE, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.content.decode().startswith("<p>Not saved.")
    assert not Annotation.objects.exists()
