"""Named rules that drop page furniture trafilatura kept inside the article:
sign-up prompts, "read more" links, the related-stories list at the end, and
lines that only restate the byline or the date."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from reader.importing.text_rules import line_rule
from reader.importing.types import BODY, CHROME, Segment

TAG = re.compile(r"<[^>]*>")
LINK = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")

# A block this short can be a prompt or a label; a real paragraph is longer.
SHORT = 200

PROMPT = re.compile(
    r"""
    \b(?:sign[ -]?up|subscrib(?!ers\b)\w*|newsletters?|inbox|log[ -]?in|sign[ -]?in)\b
        .*\b(?:free|today|now|here|newsletter|inbox|email|e-mail|updates?|access|
             subscription|journalism|first|quick|latest|daily|weekly|thanks?)\b
    | \bthanks?\ (?:you\ )?for\ (?:signing|subscribing)\b
    | \berror\ processing\ your\ subscription\b
    | \b(?:share|like)\ this\ (?:story|article|post)\b
    | \bshare\ (?:it|this)\ with\ a\ friend\b
    | \bfollow\ (?:us|@\w+)\ on\b
    | \ball\ rights\ reserved\b
    | ^(?:copyright|©)
    | \bcomment(?:ing)?\ policy\b
    | \bwould\ you\ like\ to\ comment\b
    | \bhave\ a\ (?:news\ )?tip\b
    | \bsupport\ (?:independent|our)\ journalism\b
    | \bclick\ here\ to\b
    | \bdownload\ (?:the|our)\ app\b
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "Related: <headline>" is not here: the older set's annotators keep such lines
# as the article's, the newer set's leave them out, so the rule cost one set what
# it earned on the other. "Related:" alone, over a list, still goes.
READ_MORE = re.compile(
    r"""^(?:also\ read|read\ (?:more|next|also)|see\ also
         |also\ on\ [\w.]+|more\ on\ this|recommended(?:\ for\ you)?|watch|listen|must\ read|don'?t\ miss)\b
         \s*[:|\-–—]""",
    re.IGNORECASE | re.VERBOSE,
)
RELATED_LABEL = re.compile(
    r"^related(?:\s+(?:articles?|stories|news|content|coverage|reading))?\s*[:|\-–—]\s*$", re.IGNORECASE
)
TAIL_HEADING = re.compile(
    r"""^(?:top\ stories|related(?:\ (?:articles?|stories|posts|news|content|coverage|reading|topics))?
         |more\ (?:stories|news|from\ [\w .]+|on\ this\ (?:story|topic))
         |recommended(?:\ (?:for\ you|stories|reading))?|you\ (?:may|might)\ (?:also\ )?like
         |most\ (?:read|popular|viewed)|latest(?:\ (?:news|stories))?|trending(?:\ now)?
         |partner\ (?:news|content)|editor'?s\ picks|popular\ (?:now|stories)
         |what\ to\ read\ next|in\ other\ news|sponsored(?:\ content)?)\b[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)
TIME_WORDS = re.compile(r"\d|\bago\b|\bupdated\b|\bpublished\b", re.IGNORECASE)
MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"|(?:january|february|march|april|june|july|august|september|october|november|december)"
)
# What may follow the date on a date line: more of the date and the clock time,
# a time zone, a weekday, "at", a comment count. Any other word makes the line
# a sentence ("September 12, to Dublin to visit a friend") or a heading
# ("July 2012 Changes in Pending Sales"), which stays.
DATE_TAIL_WORD = rf"""(?:\d{{1,4}}(?:st|nd|rd|th|h)?(?:[ap]\.?m\.?)?|{MONTH}|\w+day|[ap]\.?m\.?|at|on
    |(?-i:[A-Z]{{2,5}})|comments?)"""
# A bare date over the article ("Thursday, August 9, 2012") stays: annotators of
# the older set keep it as the article's dateline, and it costs the newer one
# almost nothing; the page's own stamp says what the date is.
DATE_LINE = re.compile(
    rf"""^(?:published|updated|posted|last\ updated|first\ published)(?:\ on|\ at)?:?\s*
         (?:\w+day,?\s+)?
         (?:\d{{1,2}}\s+(?:{MONTH})|(?:{MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{4}}-\d{{2}}-\d{{2}}
            |\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}|\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?)?)
         (?:[\s,.:/\-–—|()+]+{DATE_TAIL_WORD}\b)*[\s,.:/\-–—|()+]*$""",
    re.IGNORECASE | re.VERBOSE,
)


@lru_cache(maxsize=4096)
def text_of(html: str) -> str:
    """The text a reader sees for a block's inline HTML. Cached: the rules, the
    metadata marks and the cleaning report each ask for the same blocks."""
    if _is_plain(html):
        return html
    return SPACE.sub(" ", unescape(TAG.sub("", html))).strip()


def _is_plain(html: str) -> bool:
    """Text with no tag, no entity and no space to collapse or strip: its own
    text. Most of the cleaning report's blocks are such (escaped page text,
    already collapsed). isprintable() is false for every whitespace but " "."""
    return (
        "<" not in html
        and "&" not in html
        and "  " not in html
        and html.isprintable()
        and html[:1] != " "
        and html[-1:] != " "
    )


def link_share(html: str) -> float:
    """Share of a block's text that sits inside links."""
    total = len(text_of(html))
    if not total:
        return 0.0
    linked = sum(len(text_of(inner)) for inner in LINK.findall(html))
    return linked / total


def _drop(segment: Segment, rule: str) -> None:
    segment.role, segment.rule = CHROME, rule


def clean_body(
    segments: list[Segment], *, byline: str = "", url: str = "", title: str = ""
) -> list[Segment]:
    """Apply the rules in place to the kept segments; returns the same list."""
    body = [s for s in segments if s.role == BODY]
    texts = {id(s): text_of(s.html) for s in body}
    byline_key = _key(byline)
    address = _address(url)
    for segment in body:
        text = texts[id(segment)]
        if len(text) >= SHORT:
            # A copy notice is long; other prompts' words ("paywall", "subscribe")
            # are a long paragraph's subject as often as its offer.
            if len(text) < 2 * SHORT and _furniture_rule(text) == "copyright-footer":
                _drop(segment, "copyright-footer")
            continue
        if address and _address(text) == address:
            _drop(segment, "page-address")
        elif PROMPT.search(text):
            _drop(segment, "prompt")
        elif rule := _furniture_rule(text):
            _drop(segment, rule)
        elif READ_MORE.match(text) or RELATED_LABEL.match(text):
            _drop(segment, "read-more-link")
        elif byline_key and _is_byline(text, byline_key):
            segment.role, segment.rule = "byline", "byline-line"
        elif len(text) <= 80 and DATE_LINE.match(text):
            segment.role, segment.rule = "date", "date-line"
    _cut_gallery(segments, texts)
    _cut_comments(segments, texts, title=title)
    _cut_related_tail(segments, texts)
    _drop_trailing_links(segments, texts)
    return segments


# The plain-text import's furniture rules that hold inside an extracted article too.
TEXT_RULES_FOR_HTML = frozenset(
    {
        "notification-prompt",
        "newsletter-prompt",
        "donation-appeal",
        "subscription-prompt",
        "login-prompt",
        "cookie-notice",
        "advertisement",
        "media-controls",
        "author-contact",
        "copyright-footer",
        "tag-list",
    }
)


def _furniture_rule(text: str) -> str:
    rule = line_rule(text, len(WORD.findall(text)))
    return rule if rule in TEXT_RULES_FOR_HTML else ""


def _key(text: str) -> str:
    return SPACE.sub(" ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def _address(url: str) -> str:
    """A page's address as printed for its print version: no scheme, "www." or final slash."""
    return re.sub(r"^\s*(?:https?://)?(?:www\.)?", "", url.casefold()).strip().rstrip("/")


def _is_byline(text: str, byline_key: str) -> bool:
    key = _key(text)
    key = re.sub(r"^(?:by|written by|words by|reporting by)\s+", "", key)
    if not key.startswith(byline_key):
        return False
    rest = key[len(byline_key) :]
    return not rest or (
        rest.startswith(" ") and len(rest) <= 40 and TIME_WORDS.search(rest) is not None
    )


# The text import's lines that open a thread of comments or its form: "Leave a
# Reply", "4 Responses to …", "No comments yet.", "Post a Comment".
COMMENTS_OPENERS = frozenset({"comments-section", "comment-prompt"})
COMMENT_WORD = re.compile(r"\b(?:comment|repl(?:y|ies)|response)", re.IGNORECASE)


def _cut_gallery(segments: list[Segment], texts: dict[int, str]) -> None:
    """"Loading Slideshow" under an article: the slides' captions and stories below it
    are a gallery's, however much longer than the article they are. The heading of
    the box just above it ("Related on <site>:") goes with them."""
    kept = [s for s in segments if s.role == BODY]
    above = 0
    for index, segment in enumerate(kept):
        text = texts.get(id(segment), "")
        words = len(WORD.findall(text))
        if above >= GALLERY_ARTICLE_WORDS and line_rule(text, words) == "gallery-loader":
            first = index - 1 if index and RELATED_ON.match(texts.get(id(kept[index - 1]), "")) else index
            for later in kept[first:]:
                _drop(later, "gallery")
            return
        above += words


GALLERY_ARTICLE_WORDS = 50
RELATED_ON = re.compile(r"^\s*related (?:on|from|at) [\w .'’&-]{2,40}:?\s*$", re.IGNORECASE)


def _cut_comments(segments: list[Segment], texts: dict[int, str], *, title: str = "") -> None:
    """A line that opens the comments (or their form) in the last part of the
    article ends it: the comments and the form's labels below it go too. A line
    that names the article ("4 Responses to “<headline>”") opens its comments
    wherever it stands below the first paragraph."""
    kept = [s for s in segments if s.role == BODY]
    total = sum(len(texts.get(id(s), "")) for s in kept)
    title_key = _key(title)
    seen = 0
    for index, segment in enumerate(kept):
        text = texts.get(id(segment), "")
        opener = (
            len(text) < SHORT
            and COMMENT_WORD.search(text)
            and line_rule(text, len(WORD.findall(text))) in COMMENTS_OPENERS
        )
        if opener and (
            seen >= total / 2 or (index > 0 and _opens_anywhere(text, kept[index + 1 :], texts, title_key))
        ):
            for later in kept[index:]:
                _drop(later, "comments")
            return
        seen += len(text)


def _opens_anywhere(text: str, later: list[Segment], texts: dict[int, str], title_key: str) -> bool:
    """An opener that names the article, or that only the comment form follows."""
    if title_key and f" {title_key} " in f" {_key(text)} ":
        return True
    return _comment_form(later, texts)


def _comment_form(segments: list[Segment], texts: dict[int, str]) -> bool:
    """Only a comment form's lines: its prompts and labels ("Name (required)"), or
    a word or two ("Website", "Submit")."""
    for segment in segments:
        text = texts.get(id(segment), "")
        words = len(WORD.findall(text))
        if words > FORM_LABEL_WORDS and line_rule(text, words) not in COMMENTS_OPENERS:
            return False
    return True


FORM_LABEL_WORDS = 2


def _cut_related_tail(segments: list[Segment], texts: dict[int, str]) -> None:
    """A "Related stories"-like label in the last part of the article starts
    the list of other articles: it and everything after it go, unless the
    article goes on below it (a box of links set into the text)."""
    kept = [s for s in segments if s.role == BODY]
    total = sum(len(texts.get(id(s), "")) for s in kept)
    seen = 0
    for index, segment in enumerate(kept):
        text = texts.get(id(segment), "")
        if seen >= total / 2 and len(text) <= 60 and TAIL_HEADING.match(text):
            resumes = _article_resumes(kept, index + 1, texts)
            # A box of links set into the article: only the box goes.
            for later in kept[index:resumes]:
                _drop(later, "related-list")
            if resumes == len(kept):
                return
        seen += len(text)


def _article_resumes(kept: list[Segment], start: int, texts: dict[int, str]) -> int:
    """Where the article goes on below a box of links: the first of two paragraphs
    of prose in a row (a list of teasers alternates a link with one summary each),
    or the end when it does not. A paragraph of prose right under the label
    resumes it too: the box's own links were not kept as article text."""
    if start < len(kept) and _prose(kept[start], texts):
        return start
    for k in range(start, len(kept) - 1):
        if _prose(kept[k], texts) and _prose(kept[k + 1], texts):
            return k
    return len(kept)


# A paragraph of the article itself, not a teaser in a list of links.
PROSE_CHARS = 200


def _prose(segment: Segment, texts: dict[int, str]) -> bool:
    text = texts.get(id(segment), "")
    return len(text) >= PROSE_CHARS and link_share(segment.html) < 0.5


# A list of other articles: each item opens with a headline linked to its page,
# then a line of summary ("<a>Pats place Olszewski on IR</a> New England's roster
# is re-shuffling"). At least this many in a row end the article as a teaser list.
TEASER_RUN = 3
LEADING_LINK = re.compile(r"^\s*<a\b[^>]*>(.*?)</a>(.*)$", re.DOTALL)


def _teaser_item(segment: Segment, text: str) -> bool:
    if segment.kind != "li" or len(text) >= SHORT:
        return False
    found = LEADING_LINK.match(segment.html)
    if found is None or "<a" in found.group(2):
        return False
    headline, summary = text_of(found.group(1)), text_of(found.group(2))
    # A summary is a sentence of its own or a count ("- 23,886 views"); "<a>2TB
    # drive</a> for $161.99 at Dell" or "<a>Title</a>, Author" goes on with the
    # link's words, as a list of deals, of sources or of a series' posts does.
    return (
        len(WORD.findall(headline)) >= 2
        and len(WORD.findall(summary)) >= 2
        and not summary[:1].islower()
        and summary[:1] not in ",;"
    )


def _drop_trailing_links(segments: list[Segment], texts: dict[int, str]) -> None:
    """Blocks at the very end that are nothing but links, a list of teasers, and
    headings left with nothing under them."""
    kept = [s for s in segments if s.role == BODY]
    kept_texts = [texts.get(id(s), "") for s in kept]
    sizes = [len(t) for t in kept_texts]
    split = len(kept)
    while split > 1 and _teaser_item(kept[split - 1], kept_texts[split - 1]):
        split -= 1
    # The list ends an article longer than itself: a page made of such a list
    # (a list of deals, of sources) is the article.
    if len(kept) - split >= TEASER_RUN and sum(sizes[:split]) > sum(sizes[split:]):
        for segment in kept[split:]:
            _drop(segment, "teaser-list")
        kept = kept[:split]
    for segment in reversed(kept[1:]):
        text = texts.get(id(segment), "")
        if segment.kind.startswith("h"):
            _drop(segment, "trailing-heading")
        elif len(text) < SHORT and link_share(segment.html) >= 0.8:
            _drop(segment, "trailing-links")
        else:
            return
