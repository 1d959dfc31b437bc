"""An annotation import names the pages that are not here; the list page offers to fetch
them (through the safe fetch, stubbed here at that boundary); the same file imported
again then places the annotations on them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from webtest import Upload

from annotations.models import Annotation
from reader.importing import fetch
from reader.importing.types import ImportFailed
from reader.models import Article
from tests import pages
from tests.articles import FLOODS, html_article, stored_article

pytestmark = pytest.mark.django_db

STORY = (
    "Harbour works delayed again",
    "The council said on Thursday that repairs to the harbour wall would start in spring.",
    "Fishermen said the delay would cost them another season of landings at the old pier.",
)
# One page, written three ways (tracking parameters, www., a Hypothesis fragment, http).
STORY_SPELLINGS = (
    "https://www.harbour.example/news/works?utm_source=feed&id=7#annotations:AbC",
    "http://harbour.example/news/works?id=7",
    "https://harbour.example/news/works/?id=7&fbclid=xyz",
)
STORY_ADDRESS = "https://www.harbour.example/news/works?id=7"
GONE = "https://gone.example/deleted-story"


def row(n: int, exact: str, uri: str, tags=("russia",)) -> dict:
    return {
        "id": f"fetch{n:04d}Hyp",
        "created": "2024-05-01T10:00:00+00:00",
        "updated": "2024-05-01T10:00:00+00:00",
        "user": "acct:alice@hypothes.is",
        "uri": uri,
        "text": f"note {n}",
        "tags": list(tags),
        "permissions": {"read": ["group:__world__"]},
        "target": [{"source": uri, "selector": [{"type": "TextQuoteSelector", "exact": exact}]}],
    }


def hypothesis_file() -> bytes:
    rows = [
        row(1, "spend more on flood defences", "https://news.example/floods"),
        row(2, "repairs to the harbour wall", STORY_SPELLINGS[0]),
        row(3, "another season of landings", STORY_SPELLINGS[1]),
        row(4, "The council said on Thursday", STORY_SPELLINGS[2]),
        row(5, "anything at all", GONE),
    ]
    return json.dumps({"total": len(rows), "rows": rows}).encode()


@pytest.fixture
def floods(db):
    return stored_article(FLOODS[0], list(FLOODS[1:]), "https://news.example/floods")


@pytest.fixture
def network(monkeypatch) -> list[str]:
    """The safe fetch, answering for the harbour page only; the addresses asked for."""
    asked: list[str] = []

    def fake_fetch_url(url: str, **_limits) -> fetch.Fetched:
        asked.append(url)
        if "harbour.example" not in url:
            raise ImportFailed(f"{url} answered 404 Not Found; nothing was imported.")
        return fetch.Fetched(
            url=url,
            final_url=url,
            status=200,
            content_type="text/html",
            charset="utf-8",
            body=html_article(*STORY),
        )

    monkeypatch.setattr(fetch, "fetch_url", fake_fetch_url)
    return asked


def form_posting_to(page, url: str):
    return next(f for f in page.forms.values() if f.action == url)


def upload_on_list_page(django_app, user):
    page = django_app.get(reverse("reader:article_list", args=["default"]), user=user)
    form = form_posting_to(page, reverse("project_export:annotations_import", args=["default"]))
    form["file"] = Upload("hypothesis.json", hypothesis_file(), "application/json")
    return form.submit().follow()


def offered(page) -> list[str]:
    boxes = pages.page(page).xpath('//form[contains(@class, "fetch-missing")]//input[@name="url"]')
    return [box.get("value") for box in boxes]


def test_missing_pages_are_offered_once_each_fetched_and_the_file_then_placed(
    django_app, floods, alice, stances, network
):
    listed = upload_on_list_page(django_app, alice)
    assert "1 annotation imported" in listed.text
    assert "4 for articles not in Stance Reader" in listed.text
    # One page per page, at an address without fragment or tracking parameters.
    assert offered(listed) == [GONE, STORY_ADDRESS]

    fetched = form_posting_to(listed, reverse("project_export:fetch_missing_pages", args=["default"])).submit().follow()

    assert sorted(network) == [GONE, STORY_ADDRESS]
    story = Article.objects.get(title=STORY[0])
    assert story.source_url == STORY_ADDRESS and story.imported_by == alice
    assert f"Imported “{STORY[0]}” from {STORY_ADDRESS}" in fetched.text
    assert "404 Not Found" in fetched.text
    assert offered(fetched) == [GONE]  # what failed is still offered; what came is not

    again = upload_on_list_page(django_app, alice)
    assert "3 annotations imported" in again.text and "1 already here" in again.text
    on_story = Annotation.objects.filter(article=story, user=alice)
    assert sorted(on_story.values_list("quote", flat=True)) == [
        "The council said on Thursday",
        "another season of landings",
        "repairs to the harbour wall",
    ]
    assert {a.stances.get().name for a in on_story} == {"Russia"}
    assert offered(again) == [GONE]
    third = upload_on_list_page(django_app, alice)
    assert "0 annotations imported" in third.text and "4 already here" in third.text
    assert Annotation.objects.count() == 4


def test_unchecked_pages_are_not_fetched_and_unoffered_addresses_never(
    django_app, floods, alice, network
):
    listed = upload_on_list_page(django_app, alice)
    form = form_posting_to(listed, reverse("project_export:fetch_missing_pages", args=["default"]))
    for box in form.fields["url"]:
        box.checked = box._value == STORY_ADDRESS
    form.submit().follow()
    assert network == [STORY_ADDRESS]

    # An address the import did not offer is not fetched, whatever the request says.
    page = django_app.get(reverse("reader:article_list", args=["default"]), user=alice)
    form = form_posting_to(page, reverse("project_export:fetch_missing_pages", args=["default"]))
    form.fields["url"][0].force_value("https://elsewhere.example/not-offered")
    form.submit().follow()
    assert network == [STORY_ADDRESS]
    assert not Article.objects.filter(source_url__contains="elsewhere").exists()


def test_pages_are_offered_to_the_person_who_imported_only(
    django_app, floods, alice, bob, bob_client, network
):
    upload_on_list_page(django_app, alice)
    assert offered(django_app.get(reverse("reader:article_list", args=["default"]), user=bob)) == []
    bob_client.post(reverse("project_export:fetch_missing_pages", args=["default"]), {"url": STORY_ADDRESS})
    assert network == []
