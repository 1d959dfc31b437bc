"""Every vector in shared/bad-input as article HTML, pasted text, a note and a stance name.

Each is either stored and shown as harmless text or refused with a message a person can
read — never a 500, and never markup that can run or make a request: no script-capable
element, no on* handler, no javascript:/vbscript:/data: URL, no hx-*/data-hx-* attribute
where user content is shown. Vectors go in batches so the module stays fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Stance
from reader import services
from reader.importing.types import ImportFailed
from reader.models import Article
from tests import pages
from tests.conftest import SHARED

pytestmark = [pytest.mark.django_db]

BAD_INPUT = SHARED / "bad-input"
BLNS = json.loads((BAD_INPUT / "blns.json").read_text(encoding="utf-8"))
HTML5LIB = [
    v["input"]
    for v in json.loads((BAD_INPUT / "html5lib-sanitizer-tests1.json").read_text(encoding="utf-8"))
]
BLEACH = [
    path.read_text(encoding="utf-8").split("\n--\n")[0]
    for path in sorted((BAD_INPUT / "bleach-tests-data").glob("*.test"))
]
VECTORS = BLNS + HTML5LIB + BLEACH
BATCH = 60
FILLER = "The council met on Tuesday and talked for a long time about the harbour walls."
QUOTE = "Damascus has denied all the claims of abuse."


def batches(items: list[str], size: int = BATCH) -> Iterator[tuple[int, list[str]]]:
    for number, first in enumerate(range(0, len(items), size)):
        yield number, items[first : first + size]


BATCHES = list(batches(VECTORS))


def squeezed(text: str) -> str:
    return "".join(text.split())


def refusal_message(response) -> str:
    """The text a person reads on a refused form: the error list, or the error fragment."""
    root = (
        pages.page(response)
        if b"<html" in response.content
        else pages.fragment(response.content.decode())
    )
    errors = root.xpath('//*[contains(@class, "error")]') or [root]
    return " ".join(e.text_content().strip() for e in errors).strip()


def hostile_html_page(number: int, vectors: list[str]) -> str:
    paragraphs = "".join(f"<p>{FILLER} Item {number}.{i}: {v}</p>" for i, v in enumerate(vectors))
    # The first vector also stands as the page's title and headline.
    return (
        f"<!doctype html><html><head><title>{vectors[0]}</title></head><body><article>"
        f"<h1>{vectors[0]}</h1>{paragraphs}</article></body></html>"
    )


def hostile_text_page(number: int, vectors: list[str]) -> str:
    lines = [f"Harbour report number {number} from the council"]
    lines += [f"{FILLER} Item {number}.{i}: {v}" for i, v in enumerate(vectors)]
    return "\n\n".join(lines)


def assert_reading_page_is_harmless(client: Client, article: Article) -> lxml.html.HtmlElement:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    root = pages.page(response)
    body = pages.article_body(root)
    assert body.get("hx-disable") is not None
    assert pages.unsafe_markup(body) == []
    header = root.xpath("//main//header | //article//header | //h1")
    for element in header:
        assert pages.unsafe_markup(element) == []
    assert pages.page_unsafe_markup(root) == []
    # What the body shows is the canonical text: the vectors became text, not markup.
    blocks = body.xpath(".//*[@data-offset]")
    shown = "\n\n".join(" ".join(b.text_content().split()) for b in blocks)
    assert squeezed(shown) == squeezed(article.text)
    return root


# ------------------------------------------------------------------ imported article HTML


@pytest.mark.parametrize(("number", "vectors"), BATCHES, ids=[f"batch{n}" for n, _ in BATCHES])
def test_vectors_as_imported_article_html_are_harmless_text(alice, alice_client, number, vectors):
    try:
        outcome = services.article_import(
            raw=hostile_html_page(number, vectors).encode("utf-8", "surrogatepass"),
            user=alice,
            url=f"https://news.example.org/hostile/{number}",
        )
    except ImportFailed as failure:
        assert str(failure).strip()
        return
    article = outcome.article
    assert article.text.count(FILLER) >= len(vectors) // 2, "the extractor kept too little"
    root = assert_reading_page_is_harmless(alice_client, article)
    listing = pages.page(alice_client.get(reverse("reader:article_list", args=["default"]), {"q": "harbour"}))
    assert pages.page_unsafe_markup(listing) == []
    assert root.xpath("//title")[0].text_content()


# ------------------------------------------------------------------ pasted on the import page


@pytest.mark.parametrize("kind", ["text", "html"])
@pytest.mark.parametrize(("number", "vectors"), BATCHES, ids=[f"batch{n}" for n, _ in BATCHES])
def test_vectors_pasted_on_the_import_page_are_harmless_text(
    alice_client, settings, kind, number, vectors
):
    settings.ANNOTATION_CREATE_RATES = ()  # no limit: many saves in one test
    pasted = (hostile_text_page if kind == "text" else hostile_html_page)(number, vectors)
    pasted = pasted.encode("utf-8", "replace").decode("utf-8")  # a browser sends no lone surrogate
    response = alice_client.post(reverse("reader:article_import", args=["default"]), {"text": pasted})
    if response.status_code != 302:
        assert response.status_code == 422
        assert refusal_message(response)
        assert pages.page_unsafe_markup(pages.page(response)) == []
        return
    preview_response = alice_client.get(response["Location"])
    assert preview_response.status_code in (200, 302)
    if preview_response.status_code == 302:  # refused at preview: a message on the import page
        page = alice_client.get(preview_response["Location"])
        assert pages.page_unsafe_markup(pages.page(page)) == []
        return
    preview = pages.page(preview_response)
    regions = preview.xpath('//*[contains(@class, "article-body")] | //aside[@class="dropped"]')
    assert regions
    for region in regions:
        assert pages.unsafe_markup(region) == []
    assert pages.page_unsafe_markup(preview) == []
    draft_pk = int(re.search(r"/import/(\d+)/", response["Location"]).group(1))
    saved = alice_client.post(reverse("reader:draft_save", args=["default", draft_pk]))
    assert saved.status_code == 302
    article = Article.objects.order_by("-pk").first()
    if article is not None and saved["Location"] == article.get_absolute_url():
        assert_reading_page_is_harmless(alice_client, article)


# ------------------------------------------------------------------ notes


@pytest.fixture
def article_to_annotate(article) -> Article:
    return article


def test_every_vector_as_a_note_is_stored_as_text_or_refused(
    alice_client, bob_client, article_to_annotate, settings
):
    settings.ANNOTATION_CREATE_RATES = ()  # no limit: many saves in one test
    article = article_to_annotate
    start = article.text.index(QUOTE)
    selection = {"article": article.pk, "start": start, "end": start + len(QUOTE), "quote": QUOTE}
    stored: dict[str, str] = {}
    refused: list[str] = []
    for vector in VECTORS:
        note = vector.encode("utf-8", "replace").decode("utf-8")
        response = alice_client.post(reverse("annotations:create"), selection | {"note": note})
        if response.status_code == 302:
            annotation = Annotation.objects.order_by("-created").first()
            assert annotation.note == note.strip()
            stored[str(annotation.pk)] = annotation.note
        else:
            assert response.status_code == 400, (response.status_code, note)
            assert refusal_message(response).startswith("Not saved."), note
            refused.append(note)
    assert len(stored) >= len(VECTORS) * 0.9, refused
    for client in (alice_client, bob_client):
        root = pages.page(client.get(article.get_absolute_url()))
        assert pages.page_unsafe_markup(root) == []
        cards = root.xpath('//li[starts-with(@id, "ann-")]')
        assert len(cards) == len(stored)
        for card in cards:
            note = stored[card.get("id").removeprefix("ann-")]
            shown = card.xpath('.//*[@class="note"]')
            if not note:
                assert not shown
                continue
            assert pages.unsafe_markup(shown[0]) == []
            assert squeezed(shown[0].text_content()) == squeezed(note)
            for link in card.xpath('.//*[@class="note"]//a'):
                assert link.get("href").startswith(("http://", "https://"))
    for pk in list(stored)[::25]:
        for url in (
            reverse("annotations:detail", args=[pk]),
            reverse("annotations:edit", args=[pk]),
        ):
            page = pages.page(alice_client.get(url))
            assert pages.page_unsafe_markup(page) == []
            for region in page.xpath('//*[@class="note"] | //textarea'):
                assert pages.unsafe_markup(region) == []


# ------------------------------------------------------------------ stance names


def _page_surface(root: lxml.html.HtmlElement) -> set[tuple[str, str]]:
    """Element names and attribute names the page uses, with htmx attribute values."""
    surface = set()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        surface.add((element.tag, ""))
        for name, value in element.attrib.items():
            htmx = name.startswith(("hx-", "data-hx-")) and name != "hx-headers"
            value = re.sub(r"\d+", "N", value) if htmx else ""
            surface.add((element.tag, f"{name}={value}"))
    return surface


def _reading_page(client: Client, article: Article) -> lxml.html.HtmlElement:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return pages.page(response)


@pytest.fixture
def editor_user(make_user):
    from django.contrib.auth.models import Permission

    user = make_user("sam", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="annotations"))
    return user


@pytest.fixture
def editor(editor_user) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


def _admin_stance_form(user):
    """The form class the admin's add page validates with."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get(reverse("admin:annotations_stance_add"))
    request.user = user
    return admin.site._registry[Stance].get_form(request)


def test_every_vector_as_a_stance_name_is_stored_as_text_or_refused(
    alice, alice_client, editor, editor_user, article, make_annotation, stances
):
    tagged = make_annotation(alice, article, QUOTE, stance_names=[s.name for s in stances])
    admin_form = _admin_stance_form(editor_user)
    baseline = _page_surface(_reading_page(alice_client, article))
    created: list[Stance] = []
    for index, vector in enumerate(VECTORS):
        name = vector.encode("utf-8", "replace").decode("utf-8")
        form = {"name": name, "description": name, "colour": "#336699", "order": 100 + index}
        form |= {"hotkey": "", "active": "on", "project": article.project_id}
        if index % 4 == 0:  # a quarter through the admin's add page, the rest through its form
            response = editor.post(reverse("admin:annotations_stance_add"), form)
            assert response.status_code in (200, 302), (response.status_code, name)
            if response.status_code == 200:
                errors = pages.page(response).xpath('//*[contains(@class, "errorlist")]')
                assert errors and errors[0].text_content().strip()
                continue
            created.append(Stance.objects.get(order=100 + index))
        else:
            form = admin_form(data=form)
            if not form.is_valid():
                assert all(form.errors.values()), name
                continue
            created.append(form.save())
    assert len(created) >= len(VECTORS) // 2
    tagged.stances.add(*created)
    root = _reading_page(alice_client, article)
    assert pages.page_unsafe_markup(root) == []
    assert _page_surface(root) <= baseline
    names_shown = {
        squeezed(o.text_content()) for o in root.xpath('//select[@name="f_stance"]/option')
    }
    assert {squeezed(s.name) for s in created} <= names_shown
    card = root.xpath(f'//li[@id="ann-{tagged.pk}"]')[0]
    for chip in card.xpath('.//*[@class="chip"]'):
        assert pages.unsafe_markup(chip) == []
    chips = {squeezed(c.text_content()) for c in card.xpath('.//*[@class="chip"]')}
    assert {squeezed(s.name) for s in created} <= chips
    changelist = editor.get(reverse("admin:annotations_stance_changelist"), {"all": ""})
    assert changelist.status_code == 200
    for table in pages.page(changelist).xpath('//table[@id="result_list"]'):
        assert pages.unsafe_markup(table) == []
