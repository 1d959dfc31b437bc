"""Helpers for tests that read pages: parse HTML and look for what must not be there."""

from __future__ import annotations

import lxml.html
from django.http import HttpResponse

SCRIPT_CAPABLE = ("script", "iframe", "object", "embed", "frame", "frameset", "base", "svg", "math")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def url_scheme_is_dangerous(value: str, schemes: tuple[str, ...] = BAD_SCHEMES) -> bool:
    """As a browser reads a URL: ASCII whitespace and controls are ignored, case too."""
    squeezed = "".join(c for c in value if ord(c) > 0x20 and ord(c) != 0x7F).lower()
    return squeezed.startswith(schemes)


def parse(html: str | bytes) -> lxml.html.HtmlElement:
    if isinstance(html, bytes):
        html = html.decode("utf-8")
    return lxml.html.document_fromstring(html)


def page(response: HttpResponse) -> lxml.html.HtmlElement:
    return parse(response.content)


def fragment(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(f"<div>{html}</div>")


def unsafe_markup(root: lxml.html.HtmlElement) -> list[str]:
    """Every script-capable element, event handler, dangerous URL or htmx attribute below root
    (root's own attributes are the site's, e.g. hx-disable, and are not checked)."""
    problems = []
    for element in root.iterdescendants():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag in SCRIPT_CAPABLE:
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"{tag}[{name}]")
            if name.startswith(("hx-", "data-hx-")):
                problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES:
                if url_scheme_is_dangerous(value):
                    problems.append(f"{tag}[{name}={value!r}]")
    return problems


def page_unsafe_markup(root: lxml.html.HtmlElement) -> list[str]:
    """What the whole page must never carry, the site's own markup included: inline or
    foreign scripts, event handlers, script URLs. (The site's own hx-* attributes are
    allowed here; user content is checked with unsafe_markup.)"""
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script":
            src = element.get("src", "")
            if not src.startswith("/static/") or (element.text or "").strip():
                problems.append(f"<script src={src!r}>")
        elif tag in SCRIPT_CAPABLE:
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on"):
                problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES:
                if url_scheme_is_dangerous(value, ("javascript:", "vbscript:")):
                    problems.append(f"{tag}[{name}={value!r}]")
    return problems


def article_body(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    found = root.xpath('//*[@id="article-body"]')
    assert found, "the page has no #article-body"
    return found[0]


def text_of(element: lxml.html.HtmlElement) -> str:
    return element.text_content()


def covering_ids(mark, annotations) -> str:
    """The ids of the annotations around a <mark> (what the page's script offers on a click)."""
    start, end = int(mark.get("data-start")), int(mark.get("data-end"))
    return " ".join(
        str(getattr(a, "id", None) or a.pk)
        for a in annotations
        if a.start <= start and a.end >= end
    )


def marks_of(root, annotation) -> list:
    """The <mark> segments of the article body that an annotation covers."""
    return [
        m
        for m in root.iter("mark")
        if m.get("data-start") is not None
        and annotation.start <= int(m.get("data-start"))
        and int(m.get("data-end")) <= annotation.end
    ]
