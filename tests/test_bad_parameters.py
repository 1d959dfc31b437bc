"""Query parameters that cannot be used answer 400 with a message, never 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999999", "1e3"])
def test_reading_page_stance_filter_that_is_no_number_is_a_400(alice_client, article, value):
    for url in (
        article.get_absolute_url(),
        reverse("article_annotations:list", args=["default", article.slug]),
    ):
        response = alice_client.get(url, {"f_stance": value}, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
        assert "f_stance" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"stance": "²"}, {"stance": "١"}, {"to": "9999-12-31"}, {"article": "9" * 40}],
)
def test_export_filter_that_cannot_apply_is_a_400_with_a_message(alice_client, article, params):
    response = alice_client.get(reverse("export:annotations_csv"), params)
    assert response.status_code == 400
    assert response.content.decode().startswith("Invalid export filter.")


def test_reading_page_stance_filter_by_number_still_filters(alice_client, article, stances):
    assert alice_client.get(article.get_absolute_url(), {"f_stance": stances[0].pk}).status_code == 200


def test_reading_pages_are_private_and_vary_on_htmx(alice_client, article):
    for url in (article.get_absolute_url(), reverse("reader:article_list", args=["default"])):
        response = alice_client.get(url)
        assert response.status_code == 200
        assert {"private", "no-store"} <= {
            p.strip() for p in response["Cache-Control"].split(",")
        }
        assert "HX-Request" in response["Vary"]
    fragment = alice_client.get(
        reverse("article_annotations:list", args=["default", article.slug]), HTTP_HX_REQUEST="true"
    )
    assert "no-store" in fragment["Cache-Control"] and "HX-Request" in fragment["Vary"]
