"""Article details a person can correct: slugs, and editing the details after import
without moving any offset."""

from __future__ import annotations

import pytest

from reader.models import SLUG_LENGTH, slug_base
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
