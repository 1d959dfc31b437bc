"""Server-side highlights: <mark> segments in the body; each names its place, its cover
count and its stance combination, and the annotations over it follow from their offsets."""

from __future__ import annotations

from annotations.rendering import Span, highlight_css, render_highlights, stance_combinations
from reader.importing.sanitize import build_body
from tests import pages

COLOURS = {1: "#aa0000", 2: "#0000aa"}


def body(*paragraphs: str, kind: str = "p"):
    return build_body([(kind, p) for p in paragraphs])


def rendered(built, *spans: Span):
    root = pages.fragment(render_highlights(built.html, spans, COLOURS))
    root.spans = spans
    return root


def span(id: str, text: str, quote: str, *, occurrence: int = 0, stances=(), mine=True) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return Span(id=id, start=start, end=start + len(quote), stance_ids=tuple(stances), mine=mine)


def segments(root, spans=None) -> list[tuple[str, str]]:
    """Each mark's text and the ids of the spans around it (as the page's script finds them)."""
    spans = root.spans if spans is None else spans
    return [(m.text_content(), pages.covering_ids(m, spans)) for m in root.iter("mark")]


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
    assert mark.get("class").split() == ["hl", "hl-mine", "s-1"]
    assert mark.get("style") is None
    assert (mark.get("data-start"), mark.get("data-end"), mark.get("data-n")) == (
        str(built.text.index("denied")),
        str(built.text.index(" on Tuesday")),
        "1",
    )


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
    classes = [m.get("class").split() for m in root.iter("mark")]
    assert classes == [
        ["hl", "hl-mine", "s-1"],
        ["hl", "hl-mine", "hl-others", "hl-overlap", "s-1-2"],
        ["hl", "hl-others", "s-2"],
    ]
    assert [m.get("data-n") for m in root.iter("mark")] == ["1", "2", "1"]


THREE = {1: "#aa0000", 2: "#0000aa", 3: "#00aa00"}


def test_three_stances_over_one_stretch_draw_three_underlines_in_codebook_order():
    built = body("The minister denied the report on Tuesday.")
    # Codebook order is 3, 1, 2 here: the underlines follow it, not the ids.
    colours = {3: THREE[3], 1: THREE[1], 2: THREE[2]}
    spans = [
        span("a", built.text, "minister denied the report", stances=[2]),
        span("b", built.text, "denied the report on", stances=[1], mine=False),
        span("c", built.text, "denied", stances=[3]),
    ]
    root = pages.fragment(render_highlights(built.html, spans, colours))
    assert segments(root, spans) == [
        ("minister ", "a"),
        ("denied", "a b c"),
        (" the report", "a b"),
        (" on", "b"),
    ]
    assert [m.get("class").split()[-1] for m in root.iter("mark")] == [
        "s-2",
        "s-3-1-2",
        "s-1-2",
        "s-1",
    ]
    css = highlight_css(stance_combinations(spans, colours), colours)
    rule = next(line for line in css.splitlines() if "mark.s-3-1-2{" in line)
    # One underline per stance, the first in codebook order on top, the last at the bottom.
    assert rule.index("#00aa00") < rule.index("#aa0000") < rule.index("#0000aa")
    assert "0 calc(100% - 6px),0 calc(100% - 3px),0 calc(100% - 0px)" in rule
    assert "--hl:#00aa00" in rule
    assert len(css.splitlines()) == 4


def test_one_annotation_with_several_stances_draws_each():
    built = body("The minister denied the report on Tuesday.")
    a = span("a", built.text, "denied", stances=[1, 2, 3])
    root = pages.fragment(render_highlights(built.html, [a], THREE))
    mark = next(root.iter("mark"))
    assert "s-1-2-3" in mark.get("class").split()
    assert mark.get("data-n") == "1"
    css = highlight_css(stance_combinations([a], THREE), THREE)
    assert css.count("linear-gradient") == 3


def test_page_size_grows_linearly_with_fully_overlapping_highlights():
    words = " ".join(f"w{i:04d}" for i in range(2400))
    built = body(words)

    def size(n):
        # Nested: annotation i covers from word i to word 2400-1-i, so every stretch
        # is covered by up to n annotations at once.
        spans = []
        for i in range(n):
            start = built.text.index(f"w{i:04d}")
            end = built.text.index(f"w{2399 - i:04d}") + 5
            spans.append(
                Span(id=f"{i:036d}", start=start, end=end, stance_ids=(1 + i % 2,), mine=i % 3 == 0)
            )
        return len(render_highlights(built.html, spans, COLOURS)) - len(built.html)

    small, large = size(300), size(1200)
    # Four times the annotations, at most about four times the markup (a quadratic
    # layout would be sixteen times).
    assert large < 4.5 * small


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
    spans = [span("s", built.text, "<script> tags & the")]
    html = render_highlights(built.html, spans, COLOURS)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    root = pages.fragment(html)
    assert not list(root.iter("script"))
    assert segments(root, spans) == [("<script> tags & the", "s")]


def test_unknown_stance_colour_is_ignored():
    built = body("The minister denied the report.")
    root = rendered(built, span("a", built.text, "denied", stances=[99]))
    mark = next(root.iter("mark"))
    assert mark.get("style") is None
    assert mark.get("class").split() == ["hl", "hl-mine"]
    assert highlight_css(stance_combinations(root.spans, COLOURS), COLOURS) == ""
