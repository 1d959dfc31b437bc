"""CSRF, safe GETs, hostile content shown as text, and the Content-Security-Policy."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from reader import services
from reader.models import Article, ImportDraft
from tests import pages
from tests.articles import FLOODS
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db

QUOTE = "Damascus has denied all the claims of abuse."


@pytest.fixture
def csrf_client(alice) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


def selection(article, quote: str = QUOTE) -> dict:
    start = article.text.index(quote)
    return {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote}


# ------------------------------------------------------------------ CSRF


@pytest.mark.parametrize("htmx", [False, True])
def test_state_changes_without_a_csrf_token_are_refused(
    csrf_client, alice, article, make_annotation, htmx
):
    mine = make_annotation(alice, article, "Additional reporting", note="kept")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    attempts = [
        (reverse("annotations:create"), selection(article)),
        (reverse("annotations:edit", args=[mine.pk]), {"version": 1, "note": "changed"}),
        (reverse("annotations:delete", args=[mine.pk]), {}),
        (reverse("reader:article_import", args=["default"]), {"text": "\n\n".join(FLOODS)}),
        (reverse("logout"), {}),
        (
            reverse("password_change"),
            {"old_password": "x", "new_password1": "y", "new_password2": "y"},
        ),
    ]
    for url, data in attempts:
        assert csrf_client.post(url, data, **headers).status_code == 403, url
    mine.refresh_from_db()
    assert mine.note == "kept" and Annotation.objects.count() == 1
    assert not ImportDraft.objects.exists()
    assert "_auth_user_id" in csrf_client.session


def test_a_wrong_csrf_token_is_refused(csrf_client, article):
    csrf_client.get(article.get_absolute_url())
    response = csrf_client.post(
        reverse("annotations:create"), selection(article), HTTP_X_CSRFTOKEN="x" * 32
    )
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_the_htmx_header_token_from_the_page_is_accepted(csrf_client, article):
    page = pages.page(csrf_client.get(article.get_absolute_url()))
    token = json.loads(page.xpath("//body")[0].get("hx-headers"))["X-CSRFToken"]
    response = csrf_client.post(
        reverse("annotations:create"),
        selection(article),
        HTTP_X_CSRFTOKEN=token,
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert Annotation.objects.count() == 1


def test_the_form_token_from_the_page_is_accepted(csrf_client, article):
    page = pages.page(csrf_client.get(reverse("reader:article_import", args=["default"])))
    token = page.xpath(
        '//form[contains(@class, "import-form")]//input[@name="csrfmiddlewaretoken"]'
    )[0].get("value")
    response = csrf_client.post(
        reverse("reader:article_import", args=["default"]),
        {"text": "\n\n".join(FLOODS), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


# ------------------------------------------------------------------ GET changes nothing


def test_get_never_changes_state(alice_client, alice, article, make_annotation):
    mine = make_annotation(alice, article, "Additional reporting", note="kept")
    draft = ImportDraft.objects.create(user=alice, raw_input="\n\n".join(FLOODS).encode())
    query = selection(article) | {"note": "via get", "version": 1}
    urls = [
        reverse("annotations:create"),
        reverse("annotations:edit", args=[mine.pk]),
        reverse("annotations:delete", args=[mine.pk]),
        reverse("reader:draft_save", args=["default", draft.pk]),
        reverse("reader:draft_discard", args=["default", draft.pk]),
        reverse("reader:draft_preview", args=["default", draft.pk]),
        reverse("reader:article_import", args=["default"]),
        reverse("logout"),
    ]
    for url in urls:
        response = alice_client.get(url, query)
        assert response.status_code in (200, 405), url
    mine.refresh_from_db()
    assert mine.note == "kept" and mine.version == 1 and Annotation.objects.count() == 1
    assert ImportDraft.objects.filter(pk=draft.pk).exists()
    assert Article.objects.count() == 1
    assert "_auth_user_id" in alice_client.session


# ------------------------------------------------------------------ hostile content

TEMPLATE_NOTE = "Total {{ 7|add:1 }} {% csrf_token %} {{ request.user.password }} {% debug %}"
HOSTILE_NOTE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">click</a> <div hx-get="/logout" hx-trigger="load">x</div> '
    "javascript:alert(4) https://example.org/ok"
)


def card(root, annotation: Annotation):
    return root.xpath(f'//li[@id="ann-{annotation.pk}"]')[0]


def test_template_syntax_in_a_note_is_shown_as_text(alice_client, alice, article, make_annotation):
    annotation = make_annotation(alice, article, QUOTE, note=TEMPLATE_NOTE)
    for url in (article.get_absolute_url(), reverse("annotations:detail", args=[annotation.pk])):
        root = pages.page(alice_client.get(url))
        note = card(root, annotation).xpath('.//*[@class="note"]')[0]
        assert note.text_content() == TEMPLATE_NOTE
        assert not note.xpath(".//input")
    edit = pages.page(alice_client.get(reverse("annotations:edit", args=[annotation.pk])))
    assert edit.xpath("//textarea")[0].text_content().strip() == TEMPLATE_NOTE


def test_hostile_note_is_shown_as_harmless_text(
    alice_client, bob_client, alice, article, make_annotation
):
    annotation = make_annotation(alice, article, QUOTE, note=HOSTILE_NOTE)
    for client in (alice_client, bob_client):
        root = pages.page(client.get(article.get_absolute_url()))
        note = card(root, annotation).xpath('.//*[@class="note"]')[0]
        assert pages.unsafe_markup(note) == []
        assert "<script>alert(1)</script>" in note.text_content()
        links = [a.get("href") for a in note.iter("a")]
        assert links == ["https://example.org/ok"]
        assert pages.page_unsafe_markup(root) == []


def test_hostile_note_via_the_create_view(alice_client, article):
    response = alice_client.post(
        reverse("annotations:create"),
        selection(article) | {"note": HOSTILE_NOTE},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    root = pages.parse(response.content.decode())
    for note in root.xpath('//*[@class="note"]'):
        assert pages.unsafe_markup(note) == []
    assert pages.page_unsafe_markup(root) == []


HOSTILE_ARTICLE = (
    "<!doctype html><html><head><title>Harbour plan <script>alert(0)</script></title></head><body><article>"
    "<h1>Harbour plan approved</h1>"
    "<p>The council approved the plan on Monday. <script>alert(1)</script>"
    '<img src="x" onerror="alert(2)"> Repairs begin in May.</p>'
    '<p>Read the <a href="javascript:alert(3)">full report</a> and '
    '<a href="https://example.org/report" onclick="alert(4)">the summary</a> online.</p>'
    '<p hx-get="/accounts/logout/" hx-trigger="load" data-hx-post="/x" hx-on:click="alert(5)">'
    "Residents will be consulted about the works over the summer months.</p>"
    '<p><button formaction="/accounts/logout/">Press</button> '
    '<svg onload="alert(6)"><text>vector</text></svg> <iframe src="https://evil.example/"></iframe>'
    "The harbour master welcomed the decision and thanked the volunteers.</p>"
    '<p style="background:url(javascript:alert(7))" class="x" data-x="1">'
    "Work on the breakwater will take three years to finish.</p>"
    "</article></body></html>"
)


def test_hostile_imported_html_never_reaches_the_page_as_markup(
    alice_client, alice, make_annotation
):
    article = services.article_import(
        raw=HOSTILE_ARTICLE.encode(), user=alice, url="https://news.example.org/harbour"
    ).article
    assert "Repairs begin in May." in article.text
    assert "alert" not in article.text
    make_annotation(alice, article, "Repairs begin in May.")
    response = alice_client.get(article.get_absolute_url())
    root = pages.page(response)
    body = pages.article_body(root)
    assert body.get("hx-disable") is not None
    assert pages.unsafe_markup(body) == []
    for element in body.iterdescendants():
        allowed = (
            {"class", "data-start", "data-end", "data-n"}
            if element.tag == "mark"
            else {"data-offset", "href", "rel"}
        )
        assert set(element.attrib) <= allowed, (element.tag, dict(element.attrib))
    assert [a.get("href") for a in body.iter("a")] == ["https://example.org/report"]
    assert pages.page_unsafe_markup(root) == []


def test_hostile_pasted_html_preview_is_harmless(alice_client):
    response = alice_client.post(reverse("reader:article_import", args=["default"]), {"text": HOSTILE_ARTICLE})
    preview = pages.page(alice_client.get(response.url))
    for region in preview.xpath(
        '//*[contains(@class, "article-body")] | //aside[@class="dropped"]'
    ):
        assert pages.unsafe_markup(region) == []
    assert pages.page_unsafe_markup(preview) == []


def test_naughty_strings_as_notes_are_stored_or_refused_never_a_500(
    alice_client, article, settings
):
    settings.ANNOTATION_CREATE_RATES = ()  # no limit: many saves in one test
    strings = json.loads((SHARED / "bad-input" / "blns.json").read_text(encoding="utf-8"))
    statuses = set()
    for note in strings[::5]:
        response = alice_client.post(
            reverse("annotations:create"), selection(article) | {"note": note}
        )
        statuses.add(response.status_code)
    assert statuses <= {302, 400}
    root = pages.page(alice_client.get(article.get_absolute_url()))
    for note in root.xpath('//*[@class="note"]'):
        assert pages.unsafe_markup(note) == []
    assert pages.page_unsafe_markup(root) == []


# ------------------------------------------------------------------ Content-Security-Policy


def script_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert "script-src" in directives or "default-src" in directives, policy
    return (directives.get("script-src") or directives["default-src"]).split()


def test_every_page_sends_a_csp_without_inline_scripts(
    alice_client, alice, article, make_annotation
):
    annotation = make_annotation(alice, article, QUOTE)
    draft = ImportDraft.objects.create(user=alice, raw_input="\n\n".join(FLOODS).encode())
    logged_out = [reverse("login"), reverse("signup")]
    logged_in = [
        reverse("reader:article_list", args=["default"]),
        article.get_absolute_url(),
        reverse("reader:article_import", args=["default"]),
        reverse("reader:draft_preview", args=["default", draft.pk]),
        reverse("annotations:detail", args=[annotation.pk]),
        reverse("annotations:edit", args=[annotation.pk]),
        reverse("annotations:delete", args=[annotation.pk]),
        reverse("password_change"),
    ]
    for who, urls in ((Client(), logged_out), (alice_client, logged_in)):
        for url in urls:
            response = who.get(url)
            assert response.status_code == 200, url
            sources = script_src(response)
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, url
            assert "*" not in sources, url
            assert pages.page_unsafe_markup(pages.page(response)) == [], url
    fragment = alice_client.post(
        reverse("annotations:create"), selection(article), HTTP_HX_REQUEST="true"
    )
    assert "'unsafe-inline'" not in script_src(fragment)


def test_pages_cannot_be_framed(alice_client, article):
    response = alice_client.get(article.get_absolute_url())
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
