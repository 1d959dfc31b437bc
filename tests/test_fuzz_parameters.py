"""Every GET parameter of every view, with the strings of ../shared/bad-input/ and with
non-ASCII digits, huge numbers and extreme dates: every answer is a page or a clear 4xx.

The views and their parameters are found, not listed: the routes come from the URL
configuration, each is filled with ids of things that exist until it answers, and the
parameters are the keys the view itself looks up in ``request.GET`` on that first visit.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.http import QueryDict
from django.test import Client

from annotations.models import Annotation
from projects.services import invitation_create, membership_set
from reader import services
from reader.models import ArticleProposal, ArticleVersion, ImportDraft
from tests.articles import FLOODS, html_article
from tests.conftest import SHARED
from tests.routes import routes

pytestmark = pytest.mark.django_db

BAD_INPUT = SHARED / "bad-input"
PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
URL = "https://news.example.org/2024/floods"

EXTREMES = [
    "\x00",
    "a\x00b",
    "²",
    "٣",
    "١٢٣",
    "߁",
    "𝟗",
    "৪২",
    "¹⁰",
    "Ⅻ",
    "½",
    "9" * 19,
    "9" * 40,
    "-" + "9" * 40,
    "9" * 5000,
    "1e308",
    "-1e308",
    "1e-400",
    "NaN",
    "Infinity",
    "-0",
    "0x10",
    "+1",
    " 1",
    "1 ",
    "9999-12-31",
    "10000-01-01",
    "0000-00-00",
    "0001-01-01",
    "-0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "9999-12-31T23:59:59.999999+14:00",
    "1970-01-01T00:00:00+99:99",
    "0001-01-01T00:00:00-23:59",
    "2024-06-01T25:61:61",
    "2024-W99",
    "+275760-09-13",
    "",
    " ",
    "\t",
    "\r\n",
    "%",
    "%%",
    "%zz",
    "&",
    "=",
    "[]",
    "{}",
    "'",
    '"',
    "\\",
]


def bad_strings() -> list[str]:
    blns = json.loads((BAD_INPUT / "blns.json").read_text(encoding="utf-8"))
    html5lib = [
        case["input"]
        for case in json.loads(
            (BAD_INPUT / "html5lib-sanitizer-tests1.json").read_text(encoding="utf-8")
        )
    ]
    bleach = [
        path.read_text(encoding="utf-8").split("\n--\n", 1)[0]
        for path in sorted((BAD_INPUT / "bleach-tests-data").glob("*.test"))
    ]
    return list(dict.fromkeys([*blns, *html5lib, *bleach, *EXTREMES]))


def query(name: str, value: str) -> str:
    # Bytes as an attacker can send them, lone surrogates included (as invalid UTF-8).
    raw = value.encode("utf-8", "surrogatepass")
    return f"{quote(name, safe='')}={quote(raw, safe='')}"


@contextmanager
def looked_up() -> Iterator[set[str]]:
    """The keys that code looks up in any QueryDict, and the fields of every bound form,
    while the block runs (on a GET, a bound form is bound to the query, maybe copied)."""
    keys: set[str] = set()
    form_init = forms.BaseForm.__init__

    def recording_form(self, *args, **kwargs):
        form_init(self, *args, **kwargs)
        if self.is_bound:
            keys.update(self.add_prefix(name) for name in self.fields)

    originals = {
        name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")
    }

    def recording(original):
        def lookup(self, key, *args, **kwargs):
            keys.add(key)
            return original(self, key, *args, **kwargs)

        return lookup

    for name, original in originals.items():
        setattr(QueryDict, name, recording(original))
    forms.BaseForm.__init__ = recording_form
    try:
        yield keys
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)
        forms.BaseForm.__init__ = form_init


def read(response) -> bytes:
    # A streamed export that breaks halfway breaks here, not unseen.
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def existing_values() -> dict[str, list[str]]:
    """Values a route's placeholders may take, by converter: ids of what exists."""
    ints: set[int] = set(ArticleVersion.objects.values_list("number", flat=True))
    slugs: set[str] = set()
    uuids: set[str] = set()
    for model in apps.get_models():
        pk = model._meta.pk
        rows = model._default_manager.all()[:5]
        if isinstance(pk, models.UUIDField):
            uuids |= {str(v) for v in rows.values_list("pk", flat=True)}
        elif isinstance(pk, models.AutoField | models.BigAutoField | models.IntegerField):
            ints |= set(rows.values_list("pk", flat=True))
        for field in model._meta.concrete_fields:
            if isinstance(field, models.SlugField):
                slugs |= {v for v in rows.values_list(field.name, flat=True) if v}
    return {
        "int": [str(v) for v in sorted(ints)],
        "slug": sorted(slugs),
        "str": sorted(slugs),
        "uuid": sorted(uuids),
        "path": sorted(slugs),
    }


def visit(client: Client, route: str, values: dict[str, list[str]]) -> str | None:
    """The route filled with existing ids so that a plain GET answers, or None if it does
    not answer GET at all."""
    names = PLACEHOLDER.findall(route)
    choices = [values[converter or "str"] for converter, _name in names]
    refused = None
    for combination in itertools.product(*choices):
        url = "/" + route
        for value in combination:
            url = PLACEHOLDER.sub(value, url, count=1)
        status = client.get(url).status_code
        if status < 400:
            return url
        refused = refused or status
    if refused == 405:
        return None
    raise AssertionError(f"no ids found that open /{route} (last answer {refused})")


@pytest.fixture
def alice_everywhere(alice, bob, make_annotation) -> Client:
    """Alice's client, and one of everything a route can name: an article with two
    versions, a proposal, an import draft, an annotation of each visibility."""
    floods = services.article_import(raw=html_article(*FLOODS), user=alice, url=URL).article
    services.article_import(raw=html_article(*FLOODS[:3]), user=alice, url=URL)
    make_annotation(alice, floods, FLOODS[1][:30])
    make_annotation(alice, floods, FLOODS[2][:30], visibility="private", note="mine")
    ArticleProposal.objects.create(
        article=floods,
        proposed_by=bob,
        base_version=floods.versions.count(),
        title="Proposed",
        body_html="<p>Proposed text.</p>",
        text="Proposed text.",
        raw_input=b"Proposed text.",
    )
    ImportDraft.objects.create(user=alice, raw_input=html_article(*FLOODS))
    assert Annotation.objects.count() == 2
    # A manager and curator of the project, so its managers' pages open too.
    project = floods.project
    membership_set(project=project, user=alice, role="manager", curator=True)
    _invitation, token = invitation_create(
        project=project, user=alice, role="viewer", days=1, max_uses=1
    )
    client = Client()
    client.force_login(alice)
    # Words a route takes that are not ids: an invitation's token, a download's name.
    client.route_words = [token, "tables"]
    return client


HTMX = {"HX-Request": "true"}
CLEAR_REFUSALS = {400, 403, 404, 405, 409, 413, 429}
STRINGS = bad_strings()


def test_the_bad_input_corpus_is_read():
    assert len(STRINGS) > 600
    assert "\x00" in STRINGS and "9999-12-31" in STRINGS and "٣" in STRINGS


def answer(client: Client, url: str, headers: dict, params: dict[str, str]):
    """(status, body, the keys the view looked up) for one GET."""
    with looked_up() as keys:
        response = client.get(
            url, QUERY_STRING="&".join(query(k, v) for k, v in params.items()), headers=headers
        )
        body = read(response)
    return response.status_code, body, keys


def unclear(status: int, body: bytes) -> bool:
    return status >= 500 or (status >= 400 and (status not in CLEAR_REFUSALS or not body.strip()))


@pytest.mark.parametrize("route", sorted(routes()))
def test_every_get_parameter_answers_bad_input_with_a_page_or_a_clear_4xx(alice_everywhere, route):
    """Each string of the corpus goes to all of a view's parameters at once; when the view
    refuses before looking at some of them, those get the string again on their own, until
    every parameter has seen it. The extremes (digits, numbers, dates) go to each parameter
    alone too, so a value one parameter accepts is not hidden by another's refusal; and,
    where the htmx answer differs, through htmx as well."""
    client = alice_everywhere
    values = existing_values()
    for converter in ("str", "slug"):
        values[converter] = values[converter] + client.route_words
    url = visit(client, route, values)
    if url is None:
        return  # takes no GET
    _status, plain_body, plain_keys = answer(client, url, {}, {})
    _status, htmx_body, htmx_keys = answer(client, url, HTMX, {})
    failures = []
    requests = 0
    for value in STRINGS if plain_keys else ():
        waiting = set(plain_keys)
        while waiting:
            status, body, seen = answer(client, url, {}, dict.fromkeys(sorted(waiting), value))
            requests += 1
            if unclear(status, body):
                failures.append((sorted(waiting), value[:60], status))
            # A key the view never looked at cannot be what it refused.
            if not waiting & seen:
                break
            waiting -= seen
    htmx_differs = htmx_body != plain_body or htmx_keys != plain_keys
    for headers, keys in [({}, plain_keys), (HTMX, htmx_keys if htmx_differs else set())]:
        for key in sorted(keys):
            for value in EXTREMES:
                status, body, _seen = answer(client, url, headers, {key: value})
                requests += 1
                if unclear(status, body):
                    failures.append(([key], bool(headers), value[:60], status))
    print(f"{url}: {sorted(plain_keys | htmx_keys)}, {requests} requests")
    assert not failures, failures[:20]
