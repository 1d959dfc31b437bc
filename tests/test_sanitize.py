"""The one sanitizer: allowlisted blocks and inline tags only, whatever the input."""

from __future__ import annotations

import json

import lxml.html
import pytest
from lxml import etree

from reader.importing import pipeline, sanitize
from reader.importing.types import ImportFailed
from tests import pages
from tests.conftest import SHARED

BAD_INPUT = SHARED / "bad-input"
HTML5LIB = json.loads((BAD_INPUT / "html5lib-sanitizer-tests1.json").read_text(encoding="utf-8"))
BLEACH = [
    path.read_text(encoding="utf-8").split("\n--\n")[0]
    for path in sorted((BAD_INPUT / "bleach-tests-data").glob("*.test"))
]
BLNS = json.loads((BAD_INPUT / "blns.json").read_text(encoding="utf-8"))
VECTORS = [v["input"] for v in HTML5LIB] + BLEACH

ALLOWED_TAGS = {
    "div",
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "li",
    "ul",
    "figure",
    "figcaption",
    "a",
    "em",
    "strong",
    "q",
    "cite",
    "sub",
    "sup",
}


def assert_only_allowlisted(html: str) -> None:
    root = pages.fragment(html)
    assert pages.unsafe_markup(root) == [], html
    for element in root.iterdescendants():
        assert element.tag in ALLOWED_TAGS, (element.tag, html)
        allowed = {"data-offset"} if element.tag in sanitize.BLOCK_TAGS else set()
        if element.tag == "a":
            allowed = {"href", "rel"}
        assert set(element.attrib) <= allowed, (element.tag, dict(element.attrib), html)
        if element.tag == "a":
            assert element.get("href").lower().startswith(("http://", "https://", "mailto:"))


@pytest.mark.parametrize("vector", VECTORS)
def test_attack_vector_as_a_block_leaves_nothing_executable(vector):
    body = sanitize.build_body([("p", vector)])
    assert_only_allowlisted(body.html)
    assert "\n\n".join(b.text for b in body.blocks) == body.text


def test_every_vector_as_one_html_page_leaves_nothing_executable():
    page = (
        "<html><body><article>"
        + "".join(
            f"<p>Paragraph {i} of a long enough article body to be kept. {v}</p>"
            for i, v in enumerate(VECTORS)
        )
        + "</article></body></html>"
    )
    try:
        prepared = pipeline.prepare_text(page, kind="html")
    except ImportFailed:
        return
    assert_only_allowlisted(prepared.body_html)


@pytest.mark.parametrize("kind", ["html", "text"])
def test_naughty_strings_as_an_article_leave_nothing_executable(kind):
    paragraphs = "\n\n".join(s for s in BLNS if s.strip())
    source = (
        f"<html><body><article>{paragraphs}</article></body></html>"
        if kind == "html"
        else paragraphs
    )
    try:
        prepared = pipeline.prepare_text(source, kind=kind)
    except ImportFailed as failure:
        assert str(failure)
        return
    assert_only_allowlisted(prepared.body_html)


def test_allowed_inline_markup_is_kept():
    body = sanitize.build_body(
        [
            (
                "p",
                "A <em>b</em> <strong>c</strong> <q>d</q> <cite>e</cite> x<sub>2</sub> y<sup>3</sup> "
                '<a href="https://example.org/x" title="t" class="c">link</a>',
            )
        ]
    )
    root = pages.fragment(body.html)
    assert [el.tag for el in root.iter() if el.tag != "div"] == [
        "p",
        "em",
        "strong",
        "q",
        "cite",
        "sub",
        "sup",
        "a",
    ]
    link = next(root.iter("a"))
    assert link.get("href") == "https://example.org/x"
    assert "title" not in link.attrib and "class" not in link.attrib
    assert "nofollow" in link.get("rel")


@pytest.mark.parametrize(
    "dangerous",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<a href="//evil.example/">x</a>',
        '<a href="ftp://example.org/">x</a>',
        '<a href="/login">x</a>',
        '<a href="./this:that">x</a>',
        '<a href="https:evil">x</a>',
        '<a name="anchor">x</a>',
    ],
)
def test_links_other_than_absolute_http_https_mailto_become_text(dangerous):
    body = sanitize.build_body([("p", f"Read {dangerous} now.")])
    root = pages.fragment(body.html)
    assert list(root.iter("a")) == []
    assert body.text == "Read x now."


def test_absolute_links_stay_links():
    body = sanitize.build_body(
        [("p", '<a href="HTTPS://Example.org/a">a</a> <a href="mailto:x@example.org">m</a>')]
    )
    hrefs = [a.get("href") for a in pages.fragment(body.html).iter("a")]
    assert hrefs == ["HTTPS://Example.org/a", "mailto:x@example.org"]


@pytest.mark.parametrize(
    "attribute",
    [
        'style="color:red"',
        'class="x"',
        'data-x="1"',
        'hx-get="/x"',
        'data-hx-trigger="load"',
        'hx-on:click="alert(1)"',
        'onclick="alert(1)"',
        'id="main"',
        'formaction="/x"',
    ],
)
def test_no_attribute_outside_the_allowlist_survives(attribute):
    body = sanitize.build_body(
        [("p", f"<em {attribute}>text</em> and <a href='https://e.org' {attribute}>a</a>")]
    )
    root = pages.fragment(body.html)
    for element in root.iterdescendants():
        assert set(element.attrib) <= {"data-offset", "href", "rel"}


def test_script_and_style_content_is_dropped_not_kept_as_text():
    body = sanitize.build_body(
        [
            (
                "p",
                "Before <script>alert('x')</script><style>p{}</style><noscript>ns</noscript> after.",
            )
        ]
    )
    assert body.text == "Before after."


def test_whitespace_is_collapsed_inside_blocks():
    body = sanitize.build_body([("p", "  Lots\n of   <em> space </em>\there.  ")])
    assert body.text == "Lots of space here."
    assert pages.fragment(body.html).text_content() == body.text


def test_control_characters_and_lone_surrogates_are_removed():
    body = sanitize.build_body([("p", "Null\x00 byte\x07 and \ud800 surrogate")])
    assert "\x00" not in body.text and "\ud800" not in body.text and "\x07" not in body.text


def test_unknown_block_kinds_become_paragraphs():
    body = sanitize.build_body([("div", "One"), ("script", "Two"), ("h2", "Three")])
    assert [el.tag for el in pages.fragment(body.html).iterdescendants()] == ["p", "p", "h2"]


def test_empty_blocks_are_dropped_and_offsets_stay_right():
    body = sanitize.build_body([("p", "First"), ("p", "  <em> </em> "), ("p", "Second")])
    assert body.text == "First\n\nSecond"
    offsets = [int(el.get("data-offset")) for el in pages.fragment(body.html).iterdescendants()]
    assert offsets == [0, 7]


def test_plain_text_metadata_is_text_only():
    assert (
        sanitize.plain_text("<b>Big</b>\n  <script>x</script>news &amp; views")
        == "Big news & views"
    )


def test_metadata_that_skips_bleach_comes_out_as_bleach_gives_it(monkeypatch):
    values = VECTORS + BLNS + ["A headline — Site", " Two\n lines\u00a0apart ", "", "1 > 0"]
    quick = [sanitize.plain_text(value) for value in values]
    monkeypatch.setattr(sanitize, "_is_bare_text", lambda value: False)
    assert quick == [sanitize.plain_text(value) for value in values]


# ---------------------------------------------------------------- blocks cleaned together


def one_by_one(blocks: list[tuple[str, str]]) -> list[sanitize.Block]:
    found = (sanitize.normalize_block(kind, html) for kind, html in blocks)
    return [block for block in found if block is not None]


def test_every_vector_in_one_body_gives_what_each_gives_alone():
    blocks = [("p", v) for v in VECTORS + BLNS]
    body = sanitize.build_body(blocks)
    assert list(body.blocks) == one_by_one(blocks)
    assert_only_allowlisted(body.html)


@pytest.mark.parametrize("start", range(0, len(VECTORS) + len(BLNS), 7))
def test_neighbouring_vectors_cleaned_together_match_alone(start):
    blocks = [("p", "Plain <em>text</em> between.")]
    for vector in (VECTORS + BLNS)[start : start + 7]:
        blocks += [("p", vector), ("p", "Next <strong>block</strong>.")]
    body = sanitize.build_body(blocks)
    assert list(body.blocks) == one_by_one(blocks)
    assert_only_allowlisted(body.html)


@pytest.mark.parametrize(
    "first, second",
    [
        ("Open <em>emphasis", "closed</em> later"),
        ('Link <a href="https://example.org/', 'x" onclick="alert(1)">text</a>'),
        ('Link <a href="https://example.org/x?<script>alert(1)</script>', '">text</a> end'),
        ("Half a tag <a href='https://e.org'", " onclick=alert(1)>x</a>"),
        ("Tag name cut <stron", "g>bold</strong>"),
        ("A comment <!-- never closed", "hidden --> text"),
        ("Raw text <textarea>swallows", "<em>this</em></textarea>"),
        ("Table <table><tr><td>cell</td></tr>", "<em>fostered</em> text"),
        ("Entity cut &am", "p; text"),
        ("Separator \ue000 in the text", "<em>next</em>"),
        ("\ue000<em>separator first</em>", "\ue000"),
        ("Nested <em><strong>formatting</em> left open", "<strong>second</strong>"),
    ],
)
def test_markup_cut_across_blocks_stays_in_its_block(first, second):
    blocks = [("p", "Before."), ("p", first), ("p", second), ("p", "After <em>it</em>.")]
    body = sanitize.build_body(blocks)
    assert list(body.blocks) == one_by_one(blocks)
    assert_only_allowlisted(body.html)


@pytest.mark.parametrize(
    "batch_output",
    [
        'one\ue000<a href="https://e.org/\ue000">x</a>',  # separator inside an attribute
        '<a href="https://e.org/\ue000two">x</a>\ue000three',
        "<em>one\ue000two</em>\ue000three",  # a tag spans two blocks
        "one\ue000two",  # a separator lost
        'one\ue000<a href="https://e.org/" onclick="x">two</a>\ue000three',
        "one\ue000<script>two</script>\ue000three",
        'one\ue000<a href="a<b">two</a>\ue000three',
    ],
)
def test_a_batch_result_that_does_not_split_cleanly_is_cleaned_block_by_block(
    monkeypatch, batch_output
):
    real = sanitize._cleaner
    calls: list[str] = []

    class Cleaner:
        def clean(self, text: str) -> str:
            calls.append(text)
            return batch_output if "\ue000" in text else real.clean(text)

    monkeypatch.setattr(sanitize, "_cleaner", Cleaner())
    blocks = ["one<br>", "<b>two</b>", "<span>three</span>"]  # not yet in bleach's form
    assert sanitize.clean_blocks(blocks) == [real.clean(b) for b in blocks]
    assert len(calls) == 1 + len(blocks)


def test_a_space_that_opens_a_link_or_emphasis_goes_before_it_and_the_text_is_unchanged():
    built = sanitize.build_body(
        [
            ("p", 'pay for<a href="https://e.org/"> walls </a>now and <em> here</em>.'),
            ("p", 'see <em><a href="https://e.org/"> deep</a></em> end'),
        ]
    )
    assert built.text == "pay for walls now and here.\n\nsee deep end"
    root = lxml.html.fragment_fromstring(f"<div>{built.html}</div>")
    for element in root.iter("a", "em"):
        assert not element.text_content().startswith(" "), etree.tostring(element)
        assert not element.text_content().endswith(" "), etree.tostring(element)


ALREADY_CLEAN = [
    'A sentence with &amp; and &lt;angle&gt; brackets, "quotes" and a\xa0no-break space.',
    '<a href="https://example.org/a/b?page=2">a link</a> then <em>emphasis <strong>inside</strong></em>',
    '<a href="mailto:desk@example.org">write</a>, <q>quoted</q>, <cite>a book</cite>, H<sub>2</sub>O, x<sup>2</sup>',
    "Tabs\tand\nnew lines, an emoji \U0001f600 and <em></em> an empty tag.",
]
NOT_YET_CLEAN = [
    "Carriage\r\nreturn",  # html5lib turns it into a new line
    "&copy; 2026 and a bare & sign",
    '<a href="https://example.org/?a=1&amp;b=2">query</a>',  # bleach writes the & itself
    '<a href="javascript:alert(1)">script</a>',
    '<a href="https://e.org/" onclick="x">attribute</a>',
    '<a href="https://e.org/one">link <a href="https://e.org/two">in a link</a></a>',
    "<em>crossed <strong>tags</em></strong>",
    "<em>left open",
    "<b>bold</b> and <span>span</span>",
]


def test_blocks_already_in_bleachs_form_are_not_cleaned_again():
    assert all(sanitize._already_clean(block) for block in ALREADY_CLEAN)
    assert not any(sanitize._already_clean(block) for block in NOT_YET_CLEAN)
    blocks = ALREADY_CLEAN + NOT_YET_CLEAN
    assert sanitize.clean_blocks(blocks) == [sanitize.clean_inline(block) for block in blocks]
    assert [sanitize.clean_inline(block) for block in ALREADY_CLEAN] == ALREADY_CLEAN
