"""Server-side highlights: <mark> segments in the body, overlaps carry every annotation."""

from __future__ import annotations

from annotations.rendering import Span, render_highlights
from reader.importing.sanitize import build_body
from tests import pages

COLOURS = {1: "#aa0000", 2: "#0000aa"}


def body(*paragraphs: str, kind: str = "p"):
    return build_body([(kind, p) for p in paragraphs])


def rendered(built, *spans: Span):
    return pages.fragment(render_highlights(built.html, spans, COLOURS))


def span(id: str, text: str, quote: str, *, occurrence: int = 0, stances=(), mine=True) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return Span(id=id, start=start, end=start + len(quote), stance_ids=tuple(stances), mine=mine)


def segments(root) -> list[tuple[str, str]]:
    return [(m.text_content(), m.get("data-annotations")) for m in root.iter("mark")]


def block_texts(root) -> list[str]:
    return [el.text_content() for el in root.iter() if el.get("data-offset") is not None]


def test_no_spans_leaves_the_body_as_it_is():
    built = body("One paragraph.", "Another one.")
    assert render_highlights(built.html, [], COLOURS) == built.html


def test_a_highlight_is_one_mark_with_its_id():
    built = body("The minister denied the report on Tuesday.")
    root = rendered(built, span("a", built.text, "denied the report", stances=[1]))
    assert segments(root) == [("denied the report", "a")]
    mark = next(root.iter("mark"))
    assert mark.get("class").split() == ["hl", "hl-mine"]
    assert "--hl:#aa0000" in mark.get("style")


def test_overlapping_highlights_split_into_segments_carrying_both_ids():
    built = body("The minister denied the report on Tuesday.")
    a = span("a", built.text, "minister denied the", stances=[1])
    b = span("b", built.text, "denied the report on", stances=[2], mine=False)
    root = rendered(built, a, b)
    assert segments(root) == [
        ("minister ", "a"),
        ("denied the", "a b"),
        (" report on", "b"),
    ]
    both = list(root.iter("mark"))[1]
    assert "hl-overlap" in both.get("class").split()
    assert {"hl-mine", "hl-others"} <= set(both.get("class").split())
    assert "#aa0000" in both.get("style") and "#0000aa" in both.get("style")


def test_a_segment_with_several_stances_is_striped_in_equal_hard_stops():
    built = body("The minister denied the report on Tuesday.")
    a = span("a", built.text, "denied", stances=[1, 2, 3])
    root = pages.fragment(
        render_highlights(built.html, [a], {1: "#aa0000", 2: "#0000aa", 3: "#00aa00"})
    )
    style = next(root.iter("mark")).get("style")
    assert style == (
        "--hl:#aa0000;--hl-stripes:linear-gradient(90deg,#aa0000 0 33.3%,#0000aa 0 66.7%,#00aa00 0)"
    )


def test_nested_highlight_inside_another():
    built = body("The minister denied the report on Tuesday.")
    outer = span("outer", built.text, "The minister denied the report")
    inner = span("inner", built.text, "denied")
    root = rendered(built, outer, inner)
    assert segments(root) == [
        ("The minister ", "outer"),
        ("denied", "outer inner"),
        (" the report", "outer"),
    ]


def test_identical_spans_share_one_segment():
    built = body("The minister denied the report on Tuesday.")
    root = rendered(
        built,
        span("a", built.text, "denied"),
        span("b", built.text, "denied", mine=False),
    )
    assert segments(root) == [("denied", "a b")]


def test_highlight_across_blocks_marks_each_block_and_keeps_text():
    built = body("First paragraph ends here.", "Second paragraph starts here.")
    root = rendered(built, span("x", built.text, "ends here.\n\nSecond"))
    assert segments(root) == [("ends here.", "x"), ("Second", "x")]
    assert block_texts(root) == ["First paragraph ends here.", "Second paragraph starts here."]
    for mark in root.iter("mark"):
        assert mark.getparent().tag == "p"


def test_highlight_across_inline_markup_stays_inside_each_element():
    built = body(
        "Officials said <em>the money</em> would pay for <a href='https://e.org/'>walls</a>."
    )
    root = rendered(built, span("m", built.text, "said the money would pay for walls"))
    assert "".join(t for t, _ in segments(root)) == "said the money would pay for walls"
    assert block_texts(root) == [built.text]
    assert root.xpath("//em/mark") and root.xpath("//a/mark")


def test_text_content_of_every_block_is_unchanged_by_highlights():
    built = body("Alpha beta gamma delta.", "Epsilon zeta eta theta.", "Iota kappa.")
    spans = [
        span("1", built.text, "beta gamma"),
        span("2", built.text, "gamma delta.\n\nEpsilon"),
        span("3", built.text, "zeta eta theta.\n\nIota"),
        span("4", built.text, "a", occurrence=3),
    ]
    root = rendered(built, *spans)
    assert "\n\n".join(block_texts(root)) == built.text
    for element in root.iter():
        if element.get("data-offset") is not None:
            offset = int(element.get("data-offset"))
            content = element.text_content()
            assert built.text[offset : offset + len(content)] == content


def test_offsets_count_code_points_not_utf16_units():
    built = body("Fans posted 😀 and 👍🏽 then 🇬🇧 trended.", "Next 😀 paragraph here.")
    root = rendered(
        built,
        span("after", built.text, "trended"),
        span("second", built.text, "paragraph"),
        span("emoji", built.text, "👍🏽"),
    )
    assert segments(root) == [("👍🏽", "emoji"), ("trended", "after"), ("paragraph", "second")]


def test_figcaption_and_list_blocks_get_highlights():
    built = build_body(
        [("figcaption", "A photo of the harbour."), ("li", "First item"), ("li", "Second item")]
    )
    root = rendered(built, span("c", built.text, "harbour"), span("l", built.text, "Second"))
    assert segments(root) == [("harbour", "c"), ("Second", "l")]
    assert root.xpath("//figure/figcaption/mark") and root.xpath("//ul/li/mark")


def test_highlighted_text_is_escaped():
    built = body("Use &lt;script&gt; tags &amp; the like carefully.")
    html = render_highlights(built.html, [span("s", built.text, "<script> tags & the")], COLOURS)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    root = pages.fragment(html)
    assert not list(root.iter("script"))
    assert segments(root) == [("<script> tags & the", "s")]


def test_unknown_stance_colour_is_ignored():
    built = body("The minister denied the report.")
    root = rendered(built, span("a", built.text, "denied", stances=[99]))
    assert next(root.iter("mark")).get("style") is None
