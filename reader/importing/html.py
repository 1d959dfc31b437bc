"""Extract an article from an HTML page: trafilatura finds the main content,
general page signals (JSON-LD, Open Graph, meta tags) fill the metadata, and
the page's other visible blocks are listed as chrome for the cleaning report."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urljoin

import html_text
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from reader.importing.html_chrome import chrome_segments
from reader.importing.html_chrome import key as chrome_key
from reader.importing.html_cleanup import clean_body, link_share, text_of
from reader.importing.html_meta import PageMeta, read_page_meta
from reader.importing.html_parse import load_html
from reader.importing.sanitize import storable
from reader.importing.text import extract_text
from reader.importing.types import BODY, CAPTION, CHROME, Extracted, ImportFailed, Segment

SPACE = re.compile(r"\s+")

HEADING_KIND = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4"}
INLINE_REND = {"#b": "strong", "#i": "em", "#sub": "sub", "#sup": "sup"}
SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)

# Any format but "python" leaves the body tree as it is and spares
# bare_extraction its markdown rendering of it (document.text, unused here):
# 7% of its time.
TRAFILATURA_OPTIONS = {
    "output_format": "txt",
    "with_metadata": False,
    "include_comments": False,
    "include_formatting": True,
    "include_links": True,
    "include_tables": True,
    "include_images": False,
    "fast": True,
}

# Below this many words of body text (outside links) a page is not an article.
MIN_ARTICLE_WORDS = 15
# A page's text read by the plain-text rules is an article only with a paragraph this long.
MIN_SENTENCE_WORDS = 8
# Longer texts are taken as articles without comparing them to the page's link text.
LINK_CHECK_WORDS = 400
WORD = re.compile(r"\w+")


def collapse(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def extract_html(html: str, *, url: str = "") -> Extracted:
    if not html or not html.strip():
        raise ImportFailed("The page is empty: there is no HTML to read.")
    tree = load_html(html)
    if tree is None:
        raise ImportFailed("The page could not be parsed as HTML.")
    meta = read_page_meta(tree, url=url)
    _drop_hidden_copies(tree)
    _drop_inline_cards(tree)
    document = _main_content(tree)
    segments = (
        body_segments(document.body, base_url=meta.url or url) if document is not None else []
    )
    meta.fill_from_tree(tree, segments)
    segments = mark_metadata_segments(segments, meta)
    segments = clean_body(segments, byline=meta.byline, url=meta.url or url, title=meta.title)
    if (
        _unlinked_words(tree, segments) < MIN_ARTICLE_WORDS
        and not _post_over_comments(tree, segments)
        and not _take_standfirst_as_body(segments, meta)
    ):
        if (from_text := _from_page_text(html, meta, url)) is not None:
            return from_text
        raise ImportFailed(
            "No article text was found on this page: it looks like navigation, a "
            "listing or an empty page. Paste the article text instead."
        )
    if _bare(document) and (
        from_text := _from_page_text(
            html, meta, url, shorter_than=_kept_words(segments, meta.subtitle)
        )
    ) is not None:
        return from_text
    segments = chrome_segments(
        tree,
        segments,
        labels=metadata_labels(meta),
        standfirst="" if meta.subtitle else meta.description,
    )
    return Extracted(
        segments=segments,
        title=meta.title,
        subtitle=meta.subtitle,
        byline=meta.byline,
        published=meta.published,
        source_name=meta.site_name,
        source_url=meta.url or url,
        extractor="trafilatura",
    )


def _main_content(tree: etree._Element) -> Document | None:
    """trafilatura's reading of the page's main content: its own extractor first
    (fast mode), its fallback extractors only when that finds nothing or only bare
    text. The fallbacks (readability, justext) take a longer block over the one
    found, and on a blog that block holds the sidebars and the comments around
    the post. They are for a page whose main content the extractor misses:
    bare paragraphs are what its baseline dump and justext give, never its own
    extractor with links and formatting kept. The fallbacks' reading is taken
    only when it is not bare too.
    (No url for trafilatura: it would resolve every link of the page; only the
    kept ones are resolved, by body_segments.)"""
    document = trafilatura.bare_extraction(tree, **TRAFILATURA_OPTIONS)
    if not _bare(document):
        return document
    full = trafilatura.bare_extraction(tree, **{**TRAFILATURA_OPTIONS, "fast": False})
    if not _bare(full):
        return full
    return document if document is not None else full


def _bare(document: Document | None) -> bool:
    """No reading, or one of paragraphs of plain text only."""
    body = document.body if document is not None else None
    return body is None or all(el.tag == "p" and not len(el) for el in body)


def _from_page_text(
    html: str, meta: PageMeta, url: str, *, shorter_than: int | None = None
) -> Extracted | None:
    """The page's whole visible text read by the plain-text import's rules, for a
    page whose main content trafilatura does not find (a photo post, a short blog
    entry among its sidebars): what pasting the page's text would give, with the
    page's own metadata where it has any. None when those rules find nothing, or
    (with ``shorter_than``) when what they keep is not shorter by far than the
    words trafilatura's reading kept."""
    # html-text's cleaning sets element text in lxml, which refuses control characters
    text = html_text.extract_text(storable(html), guess_layout=True)
    try:
        extracted = extract_text(text, source_url=meta.url or url)
    except ImportFailed:
        return None
    # Only under the page's headline, which the page's text says again below its
    # title: with no article the rules keep a menu's or a listing's short lines.
    if not any(s.rule == "title-in-page-title" for s in extracted.segments):
        return None
    kept = [len(WORD.findall(text_of(s.html))) for s in extracted.segments if s.kept]
    if sum(kept) < MIN_ARTICLE_WORDS or max(kept, default=0) < MIN_SENTENCE_WORDS:
        return None
    if shorter_than is not None and shorter_than < BARE_DUMP_RATIO * sum(kept):
        return None
    extracted.title = meta.title or extracted.title
    extracted.byline = meta.byline or extracted.byline
    extracted.published = meta.published or extracted.published
    extracted.source_name = meta.site_name or extracted.source_name
    extracted.extractor = "text-rules on the page's text"
    return extracted


# A bare reading (trafilatura's dump of the page's text) this many times longer
# than what the text rules keep of the same page holds its menus and sidebars.
BARE_DUMP_RATIO = 2.5


def _kept_words(segments: list[Segment], subtitle: str = "") -> int:
    """Words of the kept segments' text (and of the standfirst, if given)."""
    kept = " ".join(segment_text(s) for s in segments if s.kept)
    return len(WORD.findall(f"{subtitle} {kept}"))


# Searched from the attributes up, like html_meta's XPaths: a third less time
# than testing each element for them.
HIDDEN = etree.XPath("//@hidden/.. | //@style[contains(translate(., ' ', ''), 'display:none')]/..")
# A hidden block this long is text the page does not show: a copy of the article for
# machines (schema.org microdata's articleBody), a print version. Shorter hidden
# blocks (a date, an author's name for microdata) stay for the metadata.
HIDDEN_COPY_WORDS = 40


def _drop_hidden_copies(tree: etree._Element) -> None:
    for el in HIDDEN(tree):
        if len(WORD.findall(el.text_content())) >= HIDDEN_COPY_WORDS:
            _remove(el)


# The card a site shows on hovering a linked name in a sentence (a portrait, the
# name again, links to the person's other stories), innermost where cards nest.
CARD = "span[.//img][count(.//a) >= 2]"
INLINE_CARDS = etree.XPath(f"//p//{CARD}[not(.//{CARD})]")
# Links make up this share of a card's text; a span of the sentence itself has words of its own.
CARD_LINKED_SHARE = 0.8


def _drop_inline_cards(tree: etree._Element) -> None:
    for el in INLINE_CARDS(tree):
        text = collapse(el.text_content())
        linked = sum(len(collapse(a.text_content())) for a in el.iter("a"))
        if text and linked >= CARD_LINKED_SHARE * len(text):
            _remove(el)


def _remove(el: etree._Element) -> None:
    """Take an element out of the tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _post_over_comments(tree: etree._Element, segments: list[Segment]) -> bool:
    """A post of a line or two over its comments (a photo's caption): a page with a
    comment form under its text is one post, not a listing, however short. Its
    words are counted outside the page's links and headings, as a listing's are
    all link text under a heading (whether or not the links survived extraction)."""
    text = [s for s in segments if not s.kind.startswith("h")]
    return (
        any(s.rule == "comments" for s in segments)
        and _unlinked_words(tree, text) >= MIN_POST_WORDS
    )


# A caption's own words outside its links ("Created by <artist>"): fewer is a label.
MIN_POST_WORDS = 2


def _take_standfirst_as_body(segments: list[Segment], meta: PageMeta) -> bool:
    """A short article that the page's description repeats whole is all
    "standfirst": with too little body after it, make it the body (and say so)."""
    for segment in segments:
        if (
            segment.rule == "standfirst"
            and len(WORD.findall(segment_text(segment))) >= MIN_ARTICLE_WORDS
        ):
            segment.role, segment.rule = BODY, ""
            meta.subtitle = meta.description = ""
            return True
    return False


def _unlinked_words(tree: etree._Element, segments: list[Segment]) -> int:
    """Words of kept text that the page does not show as link text: a page of
    links is no article, even when the extractor's fallback kept it as text
    (run together into one block). The page's links of two or more words are
    taken out of the kept text wherever they stand in it; single words are
    not, or a short article would lose its "the" and "and" to the menus."""
    kept = [s for s in segments if s.kept]
    total = _kept_words(segments)
    if total >= LINK_CHECK_WORDS:
        return total
    links = {_key(a.text_content()) for a in tree.iter("a")}
    phrases = sorted((k for k in links if " " in k), key=len, reverse=True)
    words = 0.0
    for segment in kept:
        text = _key(segment_text(segment))
        if text in links:
            continue
        text = f" {text} "
        for phrase in phrases:
            if phrase in text:
                text = text.replace(f" {phrase} ", "  ")
        words += len(WORD.findall(text)) * (1.0 - link_share(segment.html))
    return round(words)


# ---------------------------------------------------------------- body tree


def body_segments(body: etree._Element | None, *, base_url: str = "") -> list[Segment]:
    """One segment per block of trafilatura's body tree, in order; relative
    links are resolved against base_url."""
    segments: list[Segment] = []
    if body is not None:
        for ref in body.iter("ref"):
            target = (ref.get("target") or "").strip()
            if target and base_url and not SAFE_HREF.match(target):
                ref.set("target", urljoin(base_url, target))
        _mixed(body, segments, quoted=False)
    return [s for s in segments if s.html]


def _block(el: etree._Element, out: list[Segment], *, quoted: bool) -> None:
    tag = el.tag
    if tag == "head":
        kind = HEADING_KIND.get(el.get("rend", ""), "h3")
        out.append(Segment(html=inline_html(el), kind=kind))
    elif tag == "list":
        for item in el:
            _list_item(item, out)
    elif tag == "quote":
        if any(child.tag in BLOCK_TAGS for child in el):
            _mixed(el, out, quoted=True)
        else:
            out.append(Segment(html=inline_html(el), kind="blockquote"))
    elif tag == "table":
        _table(el, out, quoted=quoted)
    elif tag == "graphic":
        return
    elif any(child.tag in BLOCK_TAGS for child in el):
        _mixed(el, out, quoted=quoted)
    else:
        kind = "blockquote" if quoted else "p"
        out.append(Segment(html=inline_html(el), kind=kind))


BLOCK_TAGS = {"p", "head", "list", "item", "quote", "div", "table", "code", "row", "cell"}
# A table cell longer than this is page layout, not data: its blocks are read as blocks.
LAYOUT_CELL_CHARS = 200


def _table(table: etree._Element, out: list[Segment], *, quoted: bool) -> None:
    """A data table gives one paragraph per row; a layout table's cells are
    read like any other container."""
    for row in table.findall("row"):
        cells = row.findall("cell")
        if any(_is_layout_cell(cell) for cell in cells):
            for cell in cells:
                _mixed(cell, out, quoted=quoted)
        else:
            html = " ".join(h for h in (inline_html(cell) for cell in cells) if h)
            if html:
                out.append(Segment(html=html, kind="p"))


def _is_layout_cell(cell: etree._Element) -> bool:
    if any(child.tag in ("p", "head", "list", "quote", "table") for child in cell):
        return True
    return len("".join(cell.itertext())) > LAYOUT_CELL_CHARS


def _mixed(el: etree._Element, out: list[Segment], *, quoted: bool) -> None:
    """A block holding both inline content and nested blocks: the loose inline
    runs become blocks of their own."""
    kind = "blockquote" if quoted else "p"
    run: list[str] = [escape(el.text or "", quote=False)]
    for child in el:
        if child.tag in BLOCK_TAGS:
            _flush(run, kind, out)
            _block(child, out, quoted=quoted)
            run = [escape(child.tail or "", quote=False)]
        else:
            run.append(_inline(child))
    _flush(run, kind, out)


def _flush(run: list[str], kind: str, out: list[Segment]) -> None:
    html = collapse("".join(run))
    if html:
        out.append(Segment(html=html, kind=kind))


def _list_item(item: etree._Element, out: list[Segment]) -> None:
    nested = [child for child in item if child.tag == "list"]
    if not nested:
        out.append(Segment(html=inline_html(item), kind="li"))
        return
    run: list[str] = [escape(item.text or "", quote=False)]
    for child in item:
        if child.tag == "list":
            _flush(run, "li", out)
            for sub in child:
                _list_item(sub, out)
            run = [escape(child.tail or "", quote=False)]
        else:
            run.append(_inline(child))
    _flush(run, "li", out)


def inline_html(el: etree._Element) -> str:
    parts = [escape(el.text or "", quote=False)]
    parts.extend(_inline(child) for child in el)
    return collapse("".join(parts))


def _inline(el: etree._Element) -> str:
    tail = escape(el.tail or "", quote=False)
    if tail[:1].isalnum():
        # trafilatura trims the space after inline markup: "<b>a</b> b" comes out as "a</b>b"
        tail = " " + tail
    tag = el.tag
    if tag == "lb":
        return " " + tail
    if tag == "graphic":
        return tail
    if tag in BLOCK_TAGS:
        inner = escape(el.text or "", quote=False) + "".join(_inline(c) for c in el)
        return f" {inner} {tail}"
    inner = escape(el.text or "", quote=False) + "".join(_inline(c) for c in el)
    if tag == "hi":
        wrap = INLINE_REND.get(el.get("rend", ""))
    elif tag == "ref":
        target = (el.get("target") or "").strip()
        if SAFE_HREF.match(target) and collapse(inner):
            return f'<a href="{escape(target)}">{inner}</a>{tail}'
        wrap = None
    else:
        wrap = None
    if wrap and collapse(inner):
        return f"<{wrap}>{inner}</{wrap}>{tail}"
    return inner + tail


TAG = re.compile(r"<[^>]*>")


def segment_text(segment: Segment) -> str:
    """The text a reader sees for one segment (its inline HTML without tags)."""
    return text_of(segment.html)


# ---------------------------------------------------------------- metadata blocks


def mark_metadata_segments(segments: list[Segment], meta: PageMeta) -> list[Segment]:
    """A heading that repeats the title is the title; an opening block that
    reads as the page's description is the standfirst."""
    title_key = _key(meta.title)
    description_key = _key(meta.description)
    first_body = True
    for segment in segments:
        if segment.role != BODY:
            continue
        heading = segment.kind.startswith("h") and bool(title_key)
        opening = first_body and bool(description_key) and not meta.subtitle
        if not heading and not opening:
            first_body = False
            continue
        text = segment_text(segment)
        key = _key(text)
        if heading and key == title_key:
            segment.role, segment.rule = "title", "repeats-title"
            continue
        first_body = False
        if opening and key == description_key:
            segment.role, segment.rule = "subtitle", "standfirst"
            meta.subtitle = text
    return segments


def metadata_labels(meta: PageMeta) -> dict[str, tuple[str, str]]:
    """Page blocks that state the article's metadata, by their key."""
    labels: dict[str, tuple[str, str]] = {}
    if meta.title:
        labels[chrome_key(meta.title)] = ("title", "headline")
    if meta.subtitle:
        labels[chrome_key(meta.subtitle)] = ("subtitle", "standfirst")
    if meta.byline:
        labels[chrome_key(meta.byline)] = ("byline", "byline")
        labels[chrome_key("By " + meta.byline)] = ("byline", "byline")
    return labels


def _key(text: str) -> str:
    return SPACE.sub(" ", re.sub(r"[^\w\s]", "", text.casefold())).strip()


__all__ = ["extract_html", "segment_text", "BODY", "CAPTION", "CHROME"]
