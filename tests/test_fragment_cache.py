"""The rendered highlights and list are cached per user and per visible state."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Stance

pytestmark = pytest.mark.django_db


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


def test_second_view_is_served_from_the_cache_unchanged(
    alice_client, alice, article, make_annotation
):
    make_annotation(alice, article, "a mistake, but not a catastrophe", stance_names=["Russia"])
    first, first_queries = _get(alice_client, article.get_absolute_url())
    second, second_queries = _get(alice_client, article.get_absolute_url())

    # Only the per-request CSRF token (masked anew each time) differs.
    def unmasked(page: str) -> str:
        page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

    assert unmasked(second) == unmasked(first)
    assert second_queries < first_queries


def test_another_users_new_shared_annotation_shows_at_once(
    alice_client, bob, article, make_annotation
):
    _get(alice_client, article.get_absolute_url())
    make_annotation(
        bob, article, "Damascus has denied all the claims of abuse.", note="bob's reading"
    )
    page, _ = _get(alice_client, article.get_absolute_url())
    assert "bob&#x27;s reading" in page or "bob's reading" in page


def test_edits_deletes_and_visibility_changes_show_at_once(
    alice_client, bob_client, alice, article, make_annotation
):
    annotation = make_annotation(
        alice, article, "Damascus has denied all the claims of abuse.", note="first"
    )
    _get(bob_client, article.get_absolute_url())
    alice_client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {"version": annotation.version, "note": "second", "visibility": "shared"},
    )
    page, _ = _get(bob_client, article.get_absolute_url())
    assert "second" in page and ">first<" not in page
    annotation.refresh_from_db()
    alice_client.post(
        reverse("annotations:edit", args=[annotation.pk]),
        {"version": annotation.version, "note": "now private", "visibility": "private"},
    )
    page, _ = _get(bob_client, article.get_absolute_url())
    assert "now private" not in page and str(annotation.pk) not in page
    alice_client.post(reverse("annotations:delete", args=[annotation.pk]))
    page, _ = _get(alice_client, article.get_absolute_url())
    assert str(annotation.pk) not in page


def test_one_users_view_is_never_served_to_another(
    alice_client, bob_client, alice, article, make_annotation
):
    private = make_annotation(
        alice, article, "Damascus has denied", visibility="private", note="alice only"
    )
    alice_page, _ = _get(alice_client, article.get_absolute_url())
    assert "alice only" in alice_page
    bob_page, _ = _get(bob_client, article.get_absolute_url())
    assert "alice only" not in bob_page and str(private.pk) not in bob_page


def test_renaming_a_stance_shows_at_once(alice_client, alice, article, make_annotation):
    make_annotation(alice, article, "Damascus has denied", stance_names=["Russia"])
    _get(alice_client, article.get_absolute_url())
    Stance.objects.filter(name="Russia").update(name="Russian government")
    page, _ = _get(alice_client, article.get_absolute_url())
    assert "Russian government" in page


def test_filters_are_part_of_the_key(alice_client, bob, alice, article, make_annotation):
    make_annotation(bob, article, "Damascus has denied", note="by bob")
    make_annotation(alice, article, "a mistake, but not a catastrophe", note="by alice")
    everyone, _ = _get(alice_client, article.get_absolute_url())
    mine, _ = _get(alice_client, article.get_absolute_url() + "?f_mine=1")
    assert "by bob" in everyone and "by bob" not in mine and "by alice" in mine
