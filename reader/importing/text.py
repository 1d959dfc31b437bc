"""Plain-text scrapes of a whole news page -> article segments, by named rules.

The scrape is cut into paragraphs (one per line: scrapers and people copying a
page put each block on its own line). Rules that recognise furniture on sight
(prompts, share buttons, captions, credits) run first; then the main run of
prose is found as the stretch of paragraphs with the best balance of long,
sentence-like lines over short ones, and the header above it gives title,
standfirst, byline and date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.importing.text_dates import MONTH_WORD, MONTHS, find_date
from reader.importing.text_rules import (
    ARTICLE_CREDIT,
    BYLINE_PREFIX,
    CREDIT_LINE,
    PAYWALL_NOTICE,
    TEXT_SIZE_CONTROL,
    is_share_line,
    line_rule,
    names_site,
    split_credit,
    squashed,
)
from reader.importing.types import BODY, CAPTION, CHROME, Extracted, ImportFailed, Segment

WORD = re.compile(r"\w+")
WIDE_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
# Joiners are part of the text (emoji sequences, Persian, Indic scripts): only
# the invisible characters that carry nothing are dropped from the content.
STRAY_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
PUNCTUATION = re.compile(r"[.,;:!?。、，！？]")
SENTENCE_END = re.compile(r"[.!?…。！？:;][\"'”’»)\]]*$")
# Paragraph weights in "words": what a short line costs the main run, what furniture costs.
SHORT_LINE_COST = 4.0
FURNITURE_COST = 12.0
MAX_PARAGRAPH_GAIN = 60.0
RECURRING_MIN_WORDS = 1
MIN_ARTICLE_GAIN = 40.0
# Headings that open the comments or the related-links part of a page: the article never runs past them.
SECTION_BREAK_RULES = frozenset({"comments-section"})
SECTION_HEADING_COST = 30.0


@dataclass
class Para:
    text: str
    words: int
    terminal: bool
    role: str = ""
    rule: str = ""
    kind: str = "p"

    lower: float = 1.0  # share of words starting with a lower-case letter
    punctuated: bool = False
    teaser: bool = False  # looks like one card of a list of headline teasers
    first: int = -1  # for a repeated paragraph, where its first copy stands
    row: bool = False  # one row of a run of lines of one shape (a calendar, results, Q&A)
    item: bool = False  # one item of a list announced by a line ending in a colon
    stamp: bool = False  # a commenter's name and time, in a shape that recurs on the page
    boxed: bool = False  # heading or link of a "Related links" box set into the text

    @property
    def prose(self) -> bool:
        if self.lower < 0.3 and self.words >= 4:
            return False
        return (self.words >= 15 and self.punctuated) or (self.words >= 7 and self.terminal)

    @property
    def decided(self) -> bool:
        return bool(self.role)

    def set(self, role: str, rule: str, kind: str = "p") -> None:
        self.role, self.rule, self.kind = role, rule, kind


def paragraph_fingerprint(text: str) -> str:
    """Digest of a paragraph that ignores case and spacing, for spotting
    paragraphs that recur across articles of one source."""
    normal = " ".join(INVISIBLE.sub("", text).casefold().split())
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=16).hexdigest()


def _word_count(text: str, tokens: list[str]) -> int:
    wide = 0 if text.isascii() else len(WIDE_CHARS.findall(text))
    if wide:
        # Scripts written without spaces: about two characters carry a word.
        return len(WORD.findall(WIDE_CHARS.sub(" ", text))) + wide // 2
    return len(tokens)


# Hard-wrapped text (e-mail, plain-text exports): lines broken at a fixed width.
WRAP_WIDTHS = (40, 100)
WRAP_SLACK = 20


def _unwrap(lines: list[str]) -> list[str]:
    """Join the lines of each blank-line-separated paragraph when the text was
    hard-wrapped: most lines end close to one width that none exceeds by much."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 8 or len(lengths) == len(lines):
        return lines  # no blank lines: every line is its own paragraph
    width = lengths[int(len(lengths) * 0.9)]
    if not WRAP_WIDTHS[0] <= width <= WRAP_WIDTHS[1] or lengths[-1] > width * 1.2:
        return lines
    full = [line.rstrip() for line in lines if len(line.rstrip()) >= width - WRAP_SLACK]
    if len(full) < 0.5 * len(lengths):
        return lines
    # A wrapped line mostly breaks mid-sentence; a paragraph on its own line ends one.
    if sum(1 for line in full if SENTENCE_END.search(line)) >= 0.5 * len(full):
        return lines
    joined: list[str] = []
    wrapped = False
    for line in lines:
        if wrapped and line.strip():
            joined[-1] = joined[-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
        wrapped = len(joined[-1].rstrip()) >= width - WRAP_SLACK and bool(line.strip())
        if wrapped and len(line.rstrip()) < width - WRAP_SLACK:
            wrapped = False  # a short line ends its paragraph
    return joined


def _paragraphs(text: str) -> list[Para]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paras = []
    for raw in _unwrap(text.split("\n")):
        line = " ".join(STRAY_INVISIBLE.sub("", raw).split())
        tokens = WORD.findall(line)
        if not tokens:
            if line:
                paras.append(Para(line, 0, False))
            continue
        cased = [t[0] for t in tokens if t[0].islower() or t[0].isupper()]
        lower = sum(1 for c in cased if c.islower()) / len(cased) if cased else 1.0
        paras.append(
            Para(
                line,
                _word_count(line, tokens),
                bool(SENTENCE_END.search(line)),
                lower=lower,
                punctuated=bool(PUNCTUATION.search(line)),
            )
        )
    return paras


def _norm(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


DATE_WORDS = re.compile(
    r"\b(\d+\w*|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|"
    r"mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|published|updated|posted|modified|"
    r"last|on|at|am|pm|a\.m|p\.m|utc|gmt|ago|hours?|mins?|minutes?|date|time|(?-i:[A-Z]{1,4}T))\b",
    re.IGNORECASE,
)


def _is_date_line(p: Para) -> dt.datetime | None:
    if p.words > 24:
        return None
    found = find_date(p.text)
    if not found:
        return None
    rest = len(WORD.findall(DATE_WORDS.sub(" ", p.text)))
    return found[0] if rest <= 5 else None


# Where a byline's names end: a bar, a dash, or "published" in the languages the
# byline prefixes cover ("Von Jo Doe publiziert am 30. Juli 2018", "Por Jo Doe publicado …").
BYLINE_STAMP = re.compile(
    r"\s+(?:\||[-–—]\s|,?\s*(?:published|updated|posted|publiziert|veröffentlicht|aktualisiert"
    r"|publicado|actualizado|publié|mis à jour|pubblicato|aggiornato|gepubliceerd)\b)",
    re.IGNORECASE,
)


# The writer's post after the name: "…, CNN Editor-at-large", "…, Staff Writer".
WRITERS_POST = re.compile(
    r"(?i),\s+[^,]{0,40}\b(?:editor|reporter|correspondent|writer|columnist|contributor|producer"
    r"|analyst)(?:-at-large)?\b[^,]*$"
)


def _byline_names(p: Para) -> str:
    """The names in a byline paragraph, or "" when it is not one."""
    if p.words > 14 or p.terminal and not p.text.endswith("."):
        return ""
    m = BYLINE_PREFIX.match(p.text)
    if not m:
        return ""
    names = re.split(BYLINE_STAMP, m.group("names"))[0]
    names = names.strip(" ,|-–—")
    found = find_date(names)
    if found:
        names = names[: max(0, len(names) - found[1])].strip(" ,|-–—")
        # "by Jane Doe on July 3, 2012", "by Jane Doe on Thursday, December 15, 2011"
        names = re.sub(
            r"(?i)\s+(?:on|at)(?:\s+(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*)?,?$", "", names
        )
    names = WRITERS_POST.sub("", names)  # "Jane Doe, CNN Editor-at-large"
    if not names or not names[0].isupper() and not names[0].isalpha():
        return ""
    first, *rest = names.split()
    if first in NOT_A_NAME and not (rest and rest[0][0].isupper()):
        return ""  # "By the pricking of my thumbs,", not "by the Example Team"
    if first in NOT_A_NAME and ":" in names and len(names.split(":", 1)[1].split()) >= 3:
        return ""  # "By the Numbers: What the Pier Cost", a headline
    return names


# The first word after "By" of a sentence ("By the time we left"), unless a capital
# follows ("by the Example Team"): a name's own "The" has its capital.
NOT_A_NAME = frozenset(
    "the a an my our his her their its your this that these those all far now then way no".split()
)

NAME_LINE = re.compile(
    r"^[A-Z][\w'’.\-]+(?: (?:[A-Z][\w'’.\-]*|de|da|van|von|der|al|bin|la|le|and|&))+$"
)


AUTHOR_LABEL = re.compile(
    r"(?i)(by|written by|words by|posted by|authors?|author of the article|reporter)\s*:?"
)
NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|de|da|van|von|der|al|bin|la|le)$")
STAMP_START = re.compile(
    r"(?i)^(\d+\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\b|"
    r"(posted|published|updated)\b|(mon|tue|wed|thu|fri|sat|sun)\w*\b|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d)"
)
STAMP_SEPARATORS = re.compile(r"\s*[·|•]\s*")


def _name_with_stamp(p: Para) -> str:
    """The name that opens a "Jane Doe · Example News · Posted: Aug 8, 2024" or
    "Jane Doe 7 hours ago" line, or ""."""
    if p.words > 20 or not p.text[:1].isupper():
        return ""
    words = p.text.split()
    for k in range(2, min(5, len(words) - 1) + 1):
        name = " ".join(words[:k]).rstrip(" ,·|•")
        if not all(NAME_WORD.match(w) for w in name.split()) or not name.split()[-1][0].isupper():
            return ""
        rest = " ".join(words[k:]).lstrip(" ,·|•")
        if any(STAMP_START.match(chunk) for chunk in STAMP_SEPARATORS.split(rest)):
            return name
    return ""


# Words a headline in capitals has and a person's name has not ("Making Email More
# Scalable", "Running From The Sun" beside a date are headlines, not bylines).
HEADLINE_WORDS = frozenset(
    "the a an of for to in on at with from your my our is are how why what when this that "
    "you we it not no more most".split()
)


def _looks_like_name(p: Para) -> bool:
    if not 2 <= p.words <= 6 or p.terminal or NAME_LINE.match(p.text) is None:
        return False
    first, *rest = p.text.casefold().split()
    # (a leading "The" is a paper's or an agency's: "The Associated Press")
    return (first == "the" or first not in HEADLINE_WORDS) and not HEADLINE_WORDS.intersection(rest)


def _headline_like(p: Para) -> bool:
    return 3 <= p.words <= 40 and not p.text.endswith((".", ",")) or (3 <= p.words <= 25)


def _mark_furniture(paras: list[Para], recurring: Callable[[str], bool] | None) -> None:
    seen: dict[str, int] = {}
    for i, p in enumerate(paras):
        if p.words == 0:
            p.set(CHROME, "symbols-only")
            continue
        name = line_rule(p.text, p.words)
        if not name and is_share_line(p.text):
            name = "share-social"
        if not name and p.words <= READING_TIME_WORDS and READING_TIME.match(p.text):
            name = "reading-time"  # "6 minute read", "3 min read"
        if not name and _said_twice(p.text):
            name = "doubled-teaser"
        if name:
            p.set(CHROME, name)
            continue
        key = _norm(p.text)
        if key in seen and p.words >= 4:
            p.set(CHROME, "duplicate-paragraph")
            p.first = seen[key]
            continue
        if i > 0:  # a scrape's first line is the page title, which the headline repeats
            seen.setdefault(key, i)
        if recurring is not None and p.words >= RECURRING_MIN_WORDS and recurring(p.text):
            p.set(CHROME, "recurring-in-source")


def _said_twice(text: str) -> bool:
    """A teaser card's headline printed twice on one line, once as the picture's
    text: "Mayor opens the bridge Mayor opens the bridge"."""
    words = text.casefold().split()
    half = len(words) // 2
    return len(words) >= 6 and len(words) % 2 == 0 and words[:half] == words[half:]


# A repeated stretch of at least this many words is a second copy of the text
# (hidden microdata, a print version), not a line the article says twice.
COPY_MIN_WORDS = 60


# A line the site prints on other pages too, but standing between two paragraphs of
# prose, is one of the site's own subheadings ("The verdict", "Ingredients").
RECURRING_SUBHEADING_WORDS = 10


# A label the page prints again and again between the article's paragraphs
# ("Article content", "Story continues below"): three or more copies of a short line.
LABEL_MAX_WORDS = 3
LABEL_COPIES = 3


def _mark_repeated_labels(paras: list[Para]) -> None:
    copies: dict[str, list[Para]] = {}
    # A short headline repeats too, in the page's lists of posts: it is in the page title.
    page_title = f" {_norm(paras[0].text)} " if paras else ""
    for p in paras:
        if not p.decided and p.words <= LABEL_MAX_WORDS and not p.terminal:
            if _looks_like_name(p) or ":" in p.text or find_date(p.text):
                continue  # a name, a "Source: …" credit, a date: what a thread or a feed repeats
            if f" {_norm(p.text)} " in page_title:
                continue
            copies.setdefault(_norm(p.text), []).append(p)
    for found in copies.values():
        if len(found) >= LABEL_COPIES:
            for p in found:
                p.set(CHROME, "repeated-label")


def _keep_recurring_subheadings(paras: list[Para]) -> None:
    for i in range(1, len(paras) - 1):
        p, before, after = paras[i - 1 : i + 2]
        if (
            p.rule == "recurring-in-source"
            and p.words <= RECURRING_SUBHEADING_WORDS
            and not p.terminal
            and not before.decided
            and before.prose
            and not after.decided
            and after.prose
        ):
            p.role = p.rule = ""


# A status line of a social feed: it opens on a handle or a retweet, or ends on a short link.
TWEET = re.compile(r"^(RT )?@\w+|https?://t\.co/\w+\s*$")
TWEET_MIN = 3
TWEET_REACH = 5


def _mark_tweet_feeds(paras: list[Para]) -> None:
    """Three or more status lines among five lines are a feed of tweets beside the
    article (the site's, its writers'): they and the handles between them go."""
    tweets = [i for i, p in enumerate(paras) if not p.decided and TWEET.search(p.text)]
    feed: set[int] = set()
    for k in range(len(tweets) - TWEET_MIN + 1):
        if tweets[k + TWEET_MIN - 1] - tweets[k] < TWEET_REACH:
            feed.update(range(tweets[k], tweets[k + TWEET_MIN - 1] + 1))
    for i in sorted(feed):
        if not paras[i].decided and (i in tweets or paras[i].words <= 3):
            paras[i].set(CHROME, "tweet-feed")


def _mark_copies(paras: list[Para]) -> None:
    """Repeats that line up with the paragraphs around their first copy form a
    copy of a whole stretch of the page: that copy goes as "duplicate-copy".
    A line repeated on its own (a chorus, an item listed twice, a table's
    header) stays "duplicate-paragraph", to be kept when both copies lie in
    the article (see _keep_repeats_in_run)."""
    i = 0
    while i < len(paras):
        p = paras[i]
        if p.rule != "duplicate-paragraph":
            i += 1
            continue
        shift = i - p.first
        end = i
        while end < len(paras) and _same_line(paras[end], paras[end - shift]):
            end += 1
        begin = i
        while begin - 1 - shift >= 0 and _same_line(paras[begin - 1], paras[begin - 1 - shift]):
            begin -= 1
        if sum(q.words for q in paras[begin:end]) >= COPY_MIN_WORDS:
            for q in paras[begin:end]:
                if not q.decided or q.rule == "duplicate-paragraph":
                    q.set(CHROME, "duplicate-copy")
        i = max(end, i + 1)


def _same_line(a: Para, b: Para) -> bool:
    return a.text == b.text or _norm(a.text) == _norm(b.text) != ""


REPEAT_MIN_WORDS = 6


def _keep_repeats_in_run(paras: list[Para], start: int, end: int) -> int:
    """A line said twice inside the article (a chorus, a recipe's item, a table's
    repeated header) is the article's: both copies stay, also when the repeats
    close the article. Returns the run's end."""
    while end < len(paras) and (
        paras[end].rule == "duplicate-paragraph"
        and start <= paras[end].first < end
        and _sentence_like(paras[end])
        or paras[end].row
        and end > start
        and (paras[end - 1].row or paras[end - 1].text.endswith(":"))
        or _announces_rows(paras, end)
    ):
        end += 1
    for i in range(start, end):
        p = paras[i]
        if p.rule == "duplicate-paragraph" and p.first < end and _numbered_heading(p):
            # the article's numbered points, listed once above them as its contents
            p.role = p.rule = ""
            continue
        if p.rule != "duplicate-paragraph" or not start <= p.first < end:
            continue
        if _sentence_like(p) or _heads_rows(paras, i) and _heads_rows(paras, p.first):
            p.role = p.rule = ""
    return end


def _announces_rows(paras: list[Para], i: int) -> bool:
    """A line ending in a colon right above rows ("The tour dates:") opens them."""
    p = paras[i]
    return not p.decided and p.text.endswith(":") and _heads_rows(paras, i)


def _numbered_heading(p: Para) -> bool:
    return LIST_NUMBER.match(p.text) is not None and p.words >= 3


def _heads_rows(paras: list[Para], i: int) -> bool:
    """The line stands over the rows of a table (its header, said again over each table)."""
    return i + 1 < len(paras) and paras[i + 1].row


def _sentence_like(p: Para) -> bool:
    """A line of running words (a lyric, an item, a sentence), not a label or credit."""
    return p.words >= REPEAT_MIN_WORDS and p.lower >= 0.3


# Rows of one shape: "Round 3: 12 May – Interlagos", "Q: …" / "A: …", "1. Name 1:32.4".
ROW_MIN_RUN = 3
ROW_MIN_WORDS = 3
ROW_MAX_WORDS = 25
# An entry of a table says at most this many long words that the others do not.
ENTRY_OWN_WORDS = 3
ROW_TOKEN = re.compile(r"\d+|[^\W\d_]+|[^\w\s]")


def _row_shape(text: str) -> str:
    """A line's shape: numbers as 9, runs of words as a, punctuation as itself
    (the closing mark left out)."""
    shape: list[str] = []
    for token in ROW_TOKEN.findall(text):
        mark = "9" if token[0].isdigit() else "a" if token[0].isalpha() else token
        if not (mark == "a" and shape and shape[-1] == "a"):
            shape.append(mark)
    while shape and shape[-1] in ".!?;,":
        shape.pop()
    return "".join(shape)


def _row_head(shape: str) -> str:
    """The part of a row's shape up to the first words after its first number: tour
    dates ("June 9 -- Arena, Town, ST", "Aug. 14 -- Pavilion (formerly Hall), Town, ST")
    and results differ only after it, in how many commas the place takes."""
    shape = shape.replace("a.", "a")
    number = shape.find("9")
    if number < 0:
        return shape
    word = shape.find("a", number)
    return shape if word < 0 else shape[: word + 1]


def _row_label(text: str) -> str:
    """ "q" of "Q: …", "round" of "Round 3: …": a short label before a colon."""
    head, colon, _ = text.partition(":")
    if not colon or len(head.split()) > 3:
        return ""
    return "label " + " ".join(w for w in WORD.findall(head.casefold()) if not w.isdigit())


def _mark_count_lists(paras: list[Para]) -> None:
    """Four or more lines in a row, each a name and a count in brackets ("Grill Recipes
    (53)", "Banksy on advertising (13)"): a blog's categories, its archive or its most
    commented posts, not the article."""
    i = 0
    while i < len(paras):
        stop = i
        while stop < len(paras) and paras[stop].words <= COUNT_ITEM_WORDS and COUNTED.match(
            paras[stop].text
        ):
            stop += 1
        if stop - i >= COUNT_LIST_MIN:
            for q in paras[i:stop]:
                if not q.decided:
                    q.set(CHROME, "count-list")
        i = max(stop, i + 1)


COUNTED = re.compile(r"^\S.*\s\(\d{1,5}\)\s*$")
COUNT_ITEM_WORDS = 16
COUNT_LIST_MIN = 4


def _mark_rows(paras: list[Para]) -> None:
    """Three or more lines in a row with one shape that has numbers or a label in
    it are rows of a table or a list the article gives (a calendar, results, a
    Q&A): they cost the main run nothing, and are kept in it however short.
    Menus and headline lists have no such shape (words only)."""
    run: list[Para] = []
    shapes: list[str] = []
    held: Para | None = None  # a one- or two-word line inside the run ("OCTOBER")
    for p in paras + [Para("", 0, False)]:
        candidate = (
            not p.decided and ROW_MIN_WORDS <= p.words <= ROW_MAX_WORDS and not p.prose
        )
        this = ""
        if candidate:
            this = _row_label(p.text)
            if not this:
                this = _row_shape(p.text)
                if "9" not in this or set(this) <= {"a", "9"} and len(this) < 4:
                    this = ""
                this = _row_head(this)
        # a row repeats the shape (or the label) of the row before it or of the one
        # before that: questions and answers alternate
        if this and this in shapes[-2:]:
            run += [held, p] if held else [p]
            shapes.append(this)
            held = None
            continue
        if run and held is None and _table_section(p):
            held = p
            continue
        if len(run) >= ROW_MIN_RUN:
            for q in run:
                q.row = True
        run, shapes = ([p], [this]) if this else ([], [])
        held = None
    _mark_entries(paras)
    for p, q in zip(paras, paras[1:], strict=False):
        if q.row and not p.row and _table_section(p):
            p.row = True  # the table's first heading ("SEPTEMBER")


def _mark_entries(paras: list[Para]) -> None:
    """Lines that all say the same two words ("England (Group A): 10th appearance",
    "Czech Republic (Group A): Seventh appearance") are the entries of a table the
    article gives, whatever their shapes; other stories' headlines share a word at
    most."""
    run: list[tuple[Para, set[str]]] = []
    shared: set[str] = set()
    for p in paras + [Para("", 0, False)]:
        words = _entry_words(p)
        if words and (not run or len(shared & words) >= 2):
            shared = shared & words if run else words
            run.append((p, words))
            continue
        # An entry is mostly the words all entries say: a list of white papers or
        # of one column's pieces ("<title> | White Paper") says much more besides.
        if len(run) >= ROW_MIN_RUN and all(len(w - shared) <= ENTRY_OWN_WORDS for _, w in run):
            for q, _ in run:
                q.row = True
        run, shared = ([(p, words)], words) if words else ([], set())


def _entry_words(p: Para) -> set[str]:
    """The long words of a line that may be a table's entry; none for any other line."""
    if (
        p.decided
        or p.row
        or not ROW_MIN_WORDS <= p.words <= ROW_MAX_WORDS
        or p.prose
        or p.terminal
        or _row_shape(p.text) == "a"  # words only: a menu ("Atlanta Sweet Digs")
    ):
        return set()
    return {
        w.casefold().removesuffix("s")
        for w in WORD.findall(p.text)
        if len(w) >= 4 and w.isalpha()  # "2012" of "May 2012 archive" is no word
    }


def _table_section(p: Para) -> bool:
    """A one- or two-word heading between rows of one table ("OCTOBER", "Day 2")."""
    return not p.decided and 1 <= p.words <= 2 and not p.terminal


HEADLINE_LIST_RUN = 3


def _mark_headline_lists(paras: list[Para]) -> None:
    """Three or more Title-Case lines in a row, none a sentence, are a list of
    other stories' headlines (related, most read), not the article's text."""
    run: list[Para] = []
    for p in paras + [Para("", 0, False)]:
        if p.decided and p.rule == "timestamp":
            continue
        if (
            not p.decided
            and not p.row
            and p.words >= 4
            and not p.terminal
            and _title_cased(p.text)
            and not BYLINE_PREFIX.match(p.text)  # "by Jane Doe | July 3, 2012"
        ):
            run.append(p)
            continue
        if len(run) >= HEADLINE_LIST_RUN:
            for q in run:
                q.set(CHROME, "headline-list")
        run = []


SANDWICH_RULES = frozenset(
    {"donation-appeal", "newsletter-prompt", "cookie-notice", "subscription-prompt", "login-prompt"}
)


def _mark_sandwiched(paras: list[Para]) -> None:
    """Short paragraphs between two paragraphs of one appeal or notice are part of it."""
    for i, p in enumerate(paras):
        if p.rule not in SANDWICH_RULES:
            continue
        for k in range(i + 1, min(len(paras), i + 12)):
            q = paras[k]
            if q.rule == p.rule:
                between = paras[i + 1 : k]
                if all(not b.decided for b in between) and (
                    len(between) <= 2 or all(b.words <= 20 for b in between)
                ):
                    for b in between:
                        b.set(CHROME, p.rule)
                break
            if q.decided:
                break


RELATIVE_TIME = re.compile(
    r"^\s*(last updated\s+)?(\d+|an?|one)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?|months?|years?)\s+ago\s*$"
    r"|^\s*(just now|yesterday|today)(,?\s+(at\s+)?\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?)?\s*$",
    re.IGNORECASE,
)


# "Updated Nov 19, 9:41 AM; Posted Nov 18, 8:19 PM": a stamp that leaves the year out.
STAMP_WITHOUT_YEAR = re.compile(
    r"^\s*(last )?(updated|posted|published|modified)\b[^.]{0,40}?\b\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?",
    re.IGNORECASE,
)
# "— Jane Doe (@jdoe) March 3, 2024": the signature line of a post quoted in the article.
EMBEDDED_POST_SIGNATURE = re.compile(r"^\s*(?:[—–\-]+\s*)?\S.{0,80}\(@\w+\)")


def _mark_timestamps(paras: list[Para]) -> None:
    """Stand-alone dates and times: the header's date, or the stamps of teaser cards."""
    for p in paras:
        if p.decided or p.row or "@" in p.text and EMBEDDED_POST_SIGNATURE.match(p.text):
            continue
        if p.words > 14 or BYLINE_PREFIX.match(p.text):
            continue  # "by Jane Doe on July 3, 2012" is the header's byline, read there
        if (
            RELATIVE_TIME.match(p.text)
            or STAMP_WITHOUT_YEAR.match(p.text)
            or _is_date_line(p)
            and p.words <= 12
        ):
            p.set(CHROME, "timestamp")


HEADLINE_PREFIX_WORDS = 4
DATELINE_MARKS = frozenset("([—–-")
TEASER_RUN = 3


def _glued_headline(p: Para) -> bool:
    """A teaser card flattened to one line: a Title-Case headline run straight into
    its summary sentence ("Mayor Opens New Bridge Over River The city's mayor said …")."""
    if p.words < 12 or p.lower < 0.35:
        return False
    capitalised = 0
    for word in p.text.split(maxsplit=12):
        if word[0] in DATELINE_MARKS:
            return False  # "HANOI, Vietnam (AP) — …" opens a news story
        first = next((c for c in word if c.isalpha()), "")
        if not first:
            continue
        if not first.isupper():
            break
        capitalised += 1
    return capitalised >= HEADLINE_PREFIX_WORDS + 1


def _mark_glued_teasers(paras: list[Para]) -> None:
    """Three or more such lines in a row (short lines between them aside) look like a
    teaser list. They count as no gain for the main run rather than being dropped on
    sight: an article whose subheadings were flattened into their paragraphs looks
    the same, and its own prose around them keeps them in."""
    run: list[Para] = []
    for p in paras + [Para("", 0, False)]:
        if p.decided and p.role == CHROME or p.words and not p.prose:
            continue
        if not p.decided and _glued_headline(p):
            run.append(p)
            continue
        if len(run) >= TEASER_RUN:
            for q in run:
                q.teaser = True
        run = []


LIST_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+\S")
LIST_GAP = 2


def _extend_through_numbered_list(paras: list[Para], end: int) -> int:
    """A list numbered 1, 2, 3 … that starts where the prose stops belongs to the
    article however short its items are (the top-ten list after its introduction)."""
    expected, last, gap = 1, -1, 0
    i = end
    while i < len(paras) and i - max(last, end - 1) <= LIST_GAP + 1:
        p = paras[i]
        m = LIST_NUMBER.match(p.text)
        if m and int(m.group(1)) == expected and (not p.decided or p.rule == "navigation"):
            if last >= 0:
                gap = max(gap, i - last - 1)
            expected, last = expected + 1, i
        elif p.decided and p.role == CHROME and p.rule != "navigation":
            break
        i += 1
    if expected <= 3:
        return end
    stop = last + 1
    # the lines that follow each item (a link, a price) follow the last one too
    while stop < len(paras) and stop <= last + gap and not paras[stop].decided:
        stop += 1
    for p in paras[end:stop]:
        if LIST_NUMBER.match(p.text) and not p.decided:
            p.set(BODY, "numbered-list-item", "li")
    return stop


LIST_INTRO_REACH = 1
LIST_ITEM_WORDS = 15
LIST_MIN_ITEMS = 3


def _extend_through_colon_list(paras: list[Para], end: int) -> int:
    """Short lines in lower case after the line that ends the article with a colon ("You
    will need, for four bowls:") are the list it announces (ingredients, things to
    bring), however short; a menu or a list of headlines is capitalised and stops it."""
    intro = next(
        (
            i
            for i in range(max(0, end - 1), min(len(paras), end + LIST_INTRO_REACH))
            if not paras[i].decided and paras[i].words >= 2 and paras[i].text.endswith(":")
        ),
        None,
    )
    if intro is None:
        return end
    stop = intro + 1
    while stop < len(paras) and _list_item(paras[stop]):
        stop += 1
    if stop == intro + 1 and _announces_names(paras[intro]):
        while stop < len(paras) and _named_item(paras[stop]):
            stop += 1
    if stop - intro - 1 < LIST_MIN_ITEMS:
        return end
    for p in paras[intro + 1 : stop]:
        p.set(BODY, "list-after-colon", "li")
    return max(end, stop)


# What a page's furniture announces with a colon: its tags, categories, related pages.
FURNITURE_INTRO = re.compile(
    r"^(filed|posted|tagged|tags|categories|category|topics|related|see also|more|read|"
    r"share|follow|in this|also|recent|popular|trending|sponsored|from)\b",
    re.IGNORECASE,
)


# "There are 3 comments about:", "please contact:": a thread or an address follows.
THREAD_OR_CONTACT = re.compile(r"\b(comments?|repl(y|ies)|responses?|contact)\b", re.IGNORECASE)


def _announces_names(p: Para) -> bool:
    """A colon line in running words ("The areas are:", "Upcoming screenings:") announces
    a list whose items may be names (places, tracks, dates); a Title-Case one ("In This
    Article:") or one that names the page's furniture ("Filed under:") does not."""
    return (
        p.lower >= 0.5
        and not FURNITURE_INTRO.match(p.text)
        and not THREAD_OR_CONTACT.search(p.text)
    )


def _named_item(p: Para) -> bool:
    return (
        not p.decided
        and 1 <= p.words <= NAMED_ITEM_WORDS
        and not p.prose
        and not p.text.endswith(":")
    )


NAMED_ITEM_WORDS = 12


def _list_item(p: Para) -> bool:
    return (
        (not p.decided or p.rule == "duplicate-paragraph")
        and 1 <= p.words <= LIST_ITEM_WORDS
        and p.lower > 0.5
        and not p.prose
        and not p.text.endswith(":")  # the next list's own introduction
    )


def _mark_colon_lists(paras: list[Para]) -> None:
    """The same lists anywhere in the page: their lines cost the main run nothing, so a
    recipe's two lists between its introduction and its method keep the article whole,
    and an item said again in the second list (a pinch of salt for the dough and for the
    topping) is no repeat to drop."""
    i = 0
    while i < len(paras):
        p = paras[i]
        before = paras[i - 1] if i else None
        if (
            p.decided
            or p.words < 2
            or not p.text.endswith(":")
            or before is None
            or not (before.prose or before.item)
        ):
            i += 1
            continue
        stop = i + 1
        while stop < len(paras) and _list_item(paras[stop]):
            stop += 1
        if stop - i - 1 >= LIST_MIN_ITEMS:
            p.row = True
            for q in paras[i + 1 : stop]:
                if q.rule == "duplicate-paragraph":
                    q.role = q.rule = ""
                q.row = q.item = True
        i = max(stop, i + 1)


def _cut_teaser_cards(paras: list[Para], start: int, end: int) -> tuple[int, int]:
    """Three or more timestamps a few lines apart are a list of teaser cards
    (headline, time, summary): the article ends before them."""
    stamps = [i for i in range(start + 1, end) if paras[i].rule == "timestamp"]
    for k in range(len(stamps) - 2):
        if stamps[k + 2] - stamps[k] <= 12:
            cut = stamps[k]
            if cut - 1 > start and not paras[cut - 1].prose:
                cut -= 1
            if sum(max(0.0, _gain(p)) for p in paras[start:cut]) >= MIN_ARTICLE_GAIN:
                return start, cut
            break
    return start, end


def _cut_summary_cards(paras: list[Para], start: int, end: int) -> int:
    """Three or more other stories at the end of the run, each a headline over a
    one-sentence summary, are a list of teasers: the article ends above them."""
    k, cards = end, 0
    while k - 2 >= start:
        head, summary = paras[k - 2], paras[k - 1]
        if not (_card_headline(head) and _card_summary(summary)):
            break
        k, cards = k - 2, cards + 1
    if cards < SUMMARY_CARDS:
        return end
    if sum(max(0.0, _gain(p)) for p in paras[start:k]) < MIN_ARTICLE_GAIN:
        return end
    for p in paras[k:end]:
        p.set(CHROME, "teaser-list")
    return k


def _card_headline(p: Para) -> bool:
    if p.decided and p.rule != "related-box":
        return False
    return 3 <= p.words <= 14 and not p.terminal and not p.text.rstrip().endswith((":", ",", ";"))


def _card_summary(p: Para) -> bool:
    text = p.text.strip()
    return (
        not p.decided
        and 8 <= p.words <= CARD_SUMMARY_WORDS
        and text.endswith((".", "!", "?", "…"))
        and len(re.findall(r"[.!?…](?:\s|$)", text)) == 1
    )


SUMMARY_CARDS = 3
CARD_SUMMARY_WORDS = 30


# Commenters' stamps ("Alex on May 2, 2020 at 4:15 pm", "by Sam on Aug 9, 2012
# 10:21 AM EDT reply"): a name and a clock time, in one shape that recurs down the page.
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
# "Aug 9", "July 23rd", "9 December", "11. Jul": a day of a month, with no year.
DAY_AND_MONTH = (
    rf"(?:{MONTH_WORD}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\.?\s+{MONTH_WORD}\.?)"
)
DAY_OF_MONTH = re.compile(rf"\b{DAY_AND_MONTH}\b", re.IGNORECASE)
STAMP_WORDS = frozenset(
    "by on at said says wrote writes commented replied reply replies report flag up down"
    " actions permalink posted am pm a m p ago hours minutes days utc gmt est edt cst cdt"
    " pst pdt mst mdt bst cet cest et pt".split()
)
WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun".split()
)
STAMP_MAX_WORDS = 16
USER_NUMBER = re.compile(r"^\s*by\s+[^()]{1,60}\(\d{2,}\)")
STAMPS_IN_THREAD = 3
# A comment's own links beside its date stand for the clock time some themes leave out.
THREAD_ACTION = re.compile(r"\b(permalink|reply|report|quote)\b", re.IGNORECASE)
# "Miles Taylor 12 days ago": a name of one to four words and how long ago they wrote.
RELATIVE_STAMP = re.compile(
    r"^\s*(?!(?:posted|updated|published|added|edited)\b)[^\W\d][\w'’.\-]*"
    r"(?: [\w'’.\-]+){0,3},?\s+(?:\d{1,3}|an?|one)\s+"
    r"(?:sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago\s*$",
    re.IGNORECASE,
)

# "Anonymous said...", "Jim Thompson MD said…", "Maren says:": a commenter's name
# over the comment, the time of it printed below or not at all.
COMMENTER_SAYS = re.compile(
    r"^\s*[^\W\d][\w'’.\-]*(?: [\w'’.\-]+){0,5}\s+(?:said|says|wrote|writes)\s*(?:\.\.\.|…|:)\s*$",
    re.IGNORECASE,
)

# "http://twitter.com/parenthacks Asha Dornfest": a commenter's profile and name.
COMMENTER_PROFILE = re.compile(r"^\s*https?://\S+\s+[^\W\d][\w'’.\-]*(?: [\w'’.\-]+){0,3}\s*$")


def _stamp_shape(text: str) -> str | None:
    """The shape of a commenter's stamp with the name taken out, or None for a
    line that is no such stamp (no clock time, no date, or nothing but the time)."""
    if RELATIVE_STAMP.match(text):
        return "ago"  # "Miles Taylor 12 days ago"
    if COMMENTER_SAYS.match(text):
        return "says"
    if COMMENTER_PROFILE.match(text):
        return "profile"
    dated = DAY_OF_MONTH.search(text) or find_date(text)
    if not dated or not (CLOCK.search(text) or THREAD_ACTION.search(text)):
        return None
    shape, named = [], False
    for token in WORD.findall(text.casefold()):
        if token.isdigit():
            shape.append("0")
        elif token in MONTHS or token in WEEKDAYS:
            shape.append("M")
        elif token in STAMP_WORDS:
            if token not in ("am", "pm", "a", "p"):
                shape.append(token)
        else:
            named = True
    return " ".join(shape) if named or THREAD_ACTION.search(text) else None


def _mark_commenter_stamps(paras: list[Para]) -> None:
    """Three or more lines of one stamp shape are the headers of readers' comments."""
    shapes: dict[str, list[Para]] = {}
    for p in paras:
        if p.decided and p.rule != "duplicate-paragraph" or p.words > STAMP_MAX_WORDS:
            continue
        if shape := _stamp_shape(p.text):
            shapes.setdefault(shape, []).append(p)
    # "by garaged (579941)": a commenter with the site's number for them, no time.
    numbered = [p for p in paras if p.rule == "comment-header" and USER_NUMBER.match(p.text)]
    for found in [*shapes.values(), numbered]:
        if len(found) >= STAMPS_IN_THREAD:
            for p in found:
                p.set(CHROME, "comment-header")
                p.stamp = True


# "Briton jailed for tax fraud August 9, 2012", "2. Martin - 9 December, 2011": a
# headline or a name closed by a date, the head of a teaser card or of a comment.
DATE_TAIL = re.compile(
    rf"[\s,|\-–—]*(\w+day,?\s+)?{DAY_AND_MONTH},?\s+(19|20)\d\d\s*$", re.IGNORECASE
)
CARD_HEADS = 3
CARD_GAP = 6


def _card_head(p: Para) -> bool:
    if p.decided or not 3 <= p.words <= 30 or not p.text.rstrip()[-4:].isdigit():
        return False  # the line must close on a year
    if EMBEDDED_POST_SIGNATURE.match(p.text):
        return False
    tail = DATE_TAIL.search(p.text)
    if tail is None:
        return False
    head = p.text[: tail.start()].rstrip()
    return bool(WORD.search(head)) and not head.endswith((".", ":", ";", "!", "?"))


def _mark_dated_cards(paras: list[Para]) -> None:
    """Three or more heads closed by a date, each over a paragraph of text, a few
    lines apart, are a list of teaser cards or of comments: heads and texts go."""
    heads = [i for i, p in enumerate(paras[:-1]) if _card_head(p) and paras[i + 1].prose]
    k = 0
    while k < len(heads):
        run = [heads[k]]
        while k + 1 < len(heads) and heads[k + 1] - heads[k] <= CARD_GAP:
            k += 1
            run.append(heads[k])
        k += 1
        if len(run) < CARD_HEADS:
            continue
        gap = min(b - a for a, b in zip(run, run[1:], strict=False))
        for q in paras[run[0] : min(len(paras), run[-1] + gap)]:
            if not q.decided:
                q.set(CHROME, "dated-cards")


def _mark_comment_threads(paras: list[Para]) -> None:
    """From a comments heading to the last of two or more commenter lines
    ("Alex on May 2, 2020 said:"), and that comment's text, is the thread."""
    i = 0
    while i < len(paras):
        if paras[i].rule != "comments-section":
            i += 1
            continue
        headers = [
            k for k in range(i + 1, min(len(paras), i + 400)) if paras[k].rule == "comment-header"
        ]
        # A "Comment" button above the article opens no thread: the first comment
        # follows its heading with no article's worth of prose between them.
        if len(headers) < 2 or _prose_gain(paras[i + 1 : headers[0]]) >= MIN_ARTICLE_GAIN:
            i += 1
            continue
        end = headers[-1] + 1
        while end < len(paras) and not paras[end].decided and paras[end].words >= 5:
            end += 1
        for q in paras[i + 1 : end]:
            if not q.decided:
                q.set(CHROME, "comment-thread")
        i = end


def _prose_gain(paras: list[Para]) -> float:
    return sum(min(float(p.words), MAX_PARAGRAPH_GAIN) for p in paras if p.prose)


# A caption says what the picture shows; "I still can't believe this is a pencil
# drawing. Artwork © X" is a post's writer speaking under the artist's credit.
FIRST_PERSON = re.compile(r"\bI\b|\b[Mm]y\b")


def _mark_captions(paras: list[Para]) -> list[str]:
    """A caption printed twice, once with its photo credit: keep one copy."""
    credits = []
    for i in range(len(paras) - 1):
        a, b = paras[i], paras[i + 1]
        if a.words < 4 or a.role == CHROME and a.rule != "duplicate-paragraph":
            continue
        if b.text.startswith(a.text) and len(b.text) > len(a.text):
            _, credit = split_credit(b.text)
            if credit:
                a.set(CAPTION, "caption-with-credited-copy", "figcaption")
                b.set(CHROME, "duplicate-caption")
                credits.append(credit)
        elif a.text.startswith(b.text) and len(a.text) > len(b.text) and b.words >= 4:
            _, credit = split_credit(a.text)
            if credit:
                b.set(CAPTION, "caption-with-credited-copy", "figcaption")
                a.set(CHROME, "duplicate-caption")
                credits.append(credit)
    for p in paras:
        if p.decided:
            continue
        if p.words <= 12 and CREDIT_LINE.match(p.text) and not p.terminal:
            p.set("credit", "photo-credit")
            continue
        caption, credit = split_credit(p.text)
        if (
            credit
            and caption
            and p.words <= 60
            and not _title_cased(caption)
            and not FIRST_PERSON.search(caption)
        ):
            p.set(CAPTION, "caption-with-credit", "figcaption")
            credits.append(credit)
    return credits


def _title_cased(text: str) -> bool:
    """Most words capitalised, as in headlines and menu entries, not in sentences."""
    words = [w for w in WORD.findall(text) if w[0].isalpha()]
    if len(words) < 4:
        return False
    return sum(1 for w in words if w[0].isupper()) >= 0.75 * len(words)


CAPTION_REACH = 4


def _drop_far_captions(paras: list[Para], start: int, end: int) -> None:
    """Photo captions belong to the article's pictures: one separated from the main
    run by several lines that are not furniture captions a teaser."""
    for i, p in enumerate(paras):
        if p.role != CAPTION or start <= i < end:
            continue
        between = paras[i + 1 : start] if i < start else paras[end:i]
        if sum(1 for q in between if q.role != CHROME) > CAPTION_REACH:
            p.set(CHROME, "caption-outside-article")


GALLERY_MIN = 3


def _drop_galleries(paras: list[Para], start: int, end: int) -> None:
    """Captions after the article's last paragraph, three or more, are a gallery of
    pictures under the article (each picture captioned), not the article's figures."""
    prose = (i for i in reversed(range(start, end)) if paras[i].prose and not paras[i].decided)
    last = next(prose, None)
    if last is None:
        return
    after = [i for i in range(last + 1, len(paras)) if paras[i].role == CAPTION]
    if len(after) >= GALLERY_MIN:
        for i in after:
            paras[i].set(CHROME, "photo-gallery")


def _gain(p: Para) -> float:
    if p.boxed:
        # the box costs what one short line does: the article goes on below it
        return -SHORT_LINE_COST if p.rule == "related-links" else 0.0
    if p.rule == "related-links":
        return -SECTION_HEADING_COST
    if p.rule == "duplicate-paragraph" or p.row:
        return 0.0
    if p.rule == "symbols-only":
        return -1.0  # a divider ("-", "* * *") between an article's parts, or the page's
    if p.rule == "repeated-label":
        return -SHORT_LINE_COST  # weighs what it weighed as a short line
    if p.role == CHROME or p.role == "credit":
        return -FURNITURE_COST
    if p.role == CAPTION:
        return -1.0
    if p.teaser:
        return -SHORT_LINE_COST
    if p.prose:
        # Runs of Capitalised Words are headlines and menus, not sentences.
        weight = min(1.0, max(0.0, (p.lower - 0.35) / 0.25))
        return min(float(p.words), MAX_PARAGRAPH_GAIN) * weight - SHORT_LINE_COST * (1 - weight)
    return -SHORT_LINE_COST


RELATED_HEADING_REACH = 3
# Below a "Related …" heading, a span of items all shorter than this is a list.
RELATED_ITEM_WORDS = 25


# A "Related links" box set into the article: its heading between two paragraphs
# of the text, over a link or two.
BOX_ITEMS = 2
BOX_RESUME_WORDS = 12


def _mark_boxes_in_text(paras: list[Para]) -> None:
    """The box's heading and links go; they cost the article what one short line does."""
    for i, p in enumerate(paras):
        if p.rule != "related-links" or i == 0 or not paras[i - 1].prose:
            continue
        resumes = _text_resumes(paras, i)
        if resumes is None:
            resumes = _box_closes_text(paras, i)
        if resumes is None:
            continue
        p.boxed = True
        for item in paras[i + 1 : resumes]:
            item.set(CHROME, "related-box")
            item.boxed = True


# "skip past newsletter promotion" … "after newsletter promotion": a promotion's box set
# into the article, between two of its paragraphs, marked as such for screen readers.
PROMOTION_OPENS = re.compile(r"^\s*skip past (?:\w+ )?promotion\s*$", re.IGNORECASE)
PROMOTION_CLOSES = re.compile(r"^\s*after (?:\w+ )?promotion\s*$", re.IGNORECASE)
PROMOTION_REACH = 12


def _mark_promotion_boxes(paras: list[Para]) -> None:
    """A promotion's box between its skip link and its end mark costs the article
    nothing: the article goes on below it."""
    for i, p in enumerate(paras):
        if not PROMOTION_OPENS.match(p.text):
            continue
        for k in range(i + 1, min(len(paras), i + 1 + PROMOTION_REACH)):
            if PROMOTION_CLOSES.match(paras[k].text):
                for q in paras[i : k + 1]:
                    if not q.decided:
                        q.set(CHROME, "promotion-box")
                    q.boxed = True
                break


def _box_closes_text(paras: list[Para], heading: int) -> int | None:
    """Where a related heading's headlines end, when the page's furniture follows them
    (the box closes the article): its headlines are the box's, not the article's end."""
    for k in range(heading + 1, min(len(paras), heading + 2 + BOX_ITEMS)):
        q = paras[k]
        if q.decided:
            return k if k > heading + 2 and q.role == CHROME else None  # two or more
        if q.terminal or not 4 <= q.words <= 20:
            return None
    return None


def _text_resumes(paras: list[Para], heading: int) -> int | None:
    """Where the article goes on below a related heading's link or two: the first
    paragraph after them, if it is a paragraph and not another headline ("Is …?")."""
    for k in range(heading + 1, min(len(paras), heading + 2 + BOX_ITEMS)):
        if paras[k].decided:
            return None
        if paras[k].prose:
            resumes = paras[k].words >= BOX_RESUME_WORDS and not paras[k].text.endswith("?")
            return k if k > heading + 1 and resumes else None
    return None


def _best_span(paras: list[Para], lo: int, hi: int) -> tuple[float, tuple[int, int]]:
    best, best_span = 0.0, (lo, lo)
    total, start = 0.0, lo
    for i in range(lo, hi):
        if total <= 0:
            total, start = 0.0, i
        total += _gain(paras[i])
        if total > best:
            best, best_span = total, (start, i + 1)
    return best, best_span


def _related_heading_above(paras: list[Para], start: int) -> int | None:
    for h in range(start - 1, max(-1, start - 1 - RELATED_HEADING_REACH), -1):
        if paras[h].rule == "related-links":
            return h
    return None


def _signs_off(p: Para) -> bool:
    """An article's credit line ("Reporting by …; Editing by …")."""
    return p.words <= 60 and ARTICLE_CREDIT.match(p.text) is not None


COMMENT_RULES = frozenset({"comment-header", "comment-thread"})
COMMENTS_REACH = 8


def _opens_thread(paras: list[Para], h: int) -> bool:
    """A comments heading followed by a comment (a "Comments" button among the share
    buttons under the headline is followed by none), or, where the page has no heading,
    the first commenter's "… says:" line followed by another comment's header."""
    after = paras[h + 1 : h + 1 + COMMENTS_REACH]
    if paras[h].rule in SECTION_BREAK_RULES:
        return any(q.rule in COMMENT_RULES for q in after)
    if paras[h].rule != "comment-header":
        return False
    if paras[h].stamp:
        return True  # one of three or more stamps of one shape: the thread is there
    return paras[h].text.rstrip().endswith(":") and any(
        q.rule == "comment-header" and not q.stamp for q in after
    )


def _comments_heading_above(paras: list[Para], start: int) -> int | None:
    """The first start of a thread of comments above the run, or just inside it
    with less than an article's worth of text before it (a thread's notice)."""
    for h in range(min(len(paras), start + THREAD_NOTICE_REACH)):
        if _opens_thread(paras, h):
            if h < start or sum(_gain(p) for p in paras[start:h]) < MIN_ARTICLE_GAIN:
                return h
            return None
    return None


THREAD_NOTICE_REACH = 12


def _comments_link_above(paras: list[Para], i: int, end: int, gain_above: float) -> bool:
    """A "Comments" line in the page's header (a link to the thread, no comment below
    it) with far more of the article after it than before it breaks nothing."""
    if _opens_thread(paras, i) or not _headline_follows(paras, i):
        return False
    return gain_above < COMMENTS_LINK_SHARE * sum(_gain(q) for q in paras[i + 1 : end])


def _headline_follows(paras: list[Para], i: int) -> bool:
    """The page title is said again just below the line (the article's headline), or,
    where there is no page title (a pasted page), a headline over a byline is."""
    if any(i < h <= i + HEADLINE_REACH for h in _headline_copies(paras)):
        return True
    below = paras[i + 1 : i + HEADLINE_REACH + 2]
    return any(
        _heading_like(p) and _byline_names(q) for p, q in zip(below, below[1:], strict=False)
    )


HEADLINE_REACH = 3


COMMENTS_LINK_SHARE = 0.25


def _headline_copies(paras: list[Para]) -> list[int]:
    """Lines below the top that say the page title (the scrape's first line, the
    site's name aside) again: the article's headline, or its breadcrumb."""
    if not paras:
        return []
    bare = _norm(_strip_site_suffix(paras[0].text))
    if len(bare.split()) < 3:
        return []
    # a copy is about as long as the title: the length spares most lines the _norm
    near = len(bare) // 2 + 8
    return [
        i
        for i in range(1, len(paras))
        if abs(len(paras[i].text) - len(bare)) <= near and _norm(paras[i].text) == bare
    ]


ANCHOR_REACH = 6


def _header_line(p: Para) -> bool:
    """A byline or a date line: "By Jane Doe", "Jane Doe | July 3, 2012 | 0 Comments",
    "Thursday, August 9, 2012"."""
    if p.rule in COMMENT_RULES or p.words > 20:
        return False
    return bool(
        BYLINE_PREFIX.match(p.text) and (_byline_names(p) or find_date(p.text))
        or _name_with_stamp(p)
        or _is_date_line(p)
    )


def _headlines_over_bylines(paras: list[Para], stop: int) -> list[int]:
    """Headline-like lines above `stop` with a byline or a date line beside them,
    unless they are one of a list of such cards (another within a few lines)."""
    found: dict[int, int] = {}  # headline -> its byline or date line, the nearest
    header: dict[int, bool] = {}  # each line tested once

    def is_header(j: int) -> bool:
        if j not in header:
            header[j] = _header_line(paras[j])
        return header[j]

    for i, p in enumerate(paras[: stop + CARD_GAP]):
        if 3 <= p.words <= 30 and not p.text.endswith((".", ",", ":")):
            beside = (j for j in (i + 1, i + 2, i - 1, i - 2) if 0 <= j < len(paras))
            mark = next((j for j in beside if is_header(j)), None)
            if mark is not None:
                found[i] = mark
    return [
        i
        for i, mark in found.items()
        if i < stop and not any(0 < abs(i - j) <= CARD_GAP and mark != found[j] for j in found)
    ]


# Under its headline, a short article is still the article.
MIN_ANCHORED_GAIN = 30.0
SHORT_ANCHORED_GAIN = 20.0
BLURB_GAIN = 120.0


def _same_opening(a: Para, b: Para) -> bool:
    return a.words >= REPEAT_MIN_WORDS and _norm(a.text)[:60] == _norm(b.text)[:60]


def _slug_copies(paras: list[Para], source_url: str) -> list[int]:
    """Lines that say the words of the address's last part ("…/festival-opens-on-the-quay/"):
    the headline, in a pasted page that has no page title."""
    wanted = _slug_words(source_url)
    if len(wanted) < SLUG_MIN_WORDS:
        return []
    found = [
        i
        for i, p in enumerate(paras[1:], start=1)  # the first line is the page title, if any
        if SLUG_MIN_WORDS <= p.words <= len(wanted) + SLUG_SLACK and _says_slug(p.text, wanted)
    ]
    if len(found) > SLUG_COPIES:
        # the headline near the top, said again in a list of posts at the foot
        found = [i for i in found if i < len(paras) // 3]
    # a headline, and perhaps its breadcrumb: more lines than that are a product name
    return found if len(found) <= SLUG_COPIES else []


def _slug_words(source_url: str) -> list[str]:
    path = urlsplit(source_url).path.rstrip("/")
    slug = re.sub(r"\.(s?html?|php|aspx?)$", "", path.rsplit("/", 1)[-1]).casefold()
    return [w for w in re.split(r"[-_+]+", slug) if w.isalpha()]


def _says_slug(text: str, wanted: Sequence[str]) -> bool:
    words = set(_norm(text).split())
    return sum(1 for w in wanted if w in words) >= SLUG_SHARE * len(wanted)


def _title_from_address(paras: list[Para], title: str, heads: Headlines) -> int | None:
    """The line that says the address's words, when the title found does not: in a
    pasted page a sidebar's or a box's heading can look more like a headline than
    the headline does. A breadcrumb ("Home / …", "You are here: …") is the second choice."""
    wanted = heads.slug_words
    if len(wanted) < SLUG_MIN_WORDS or _says_slug(title, wanted):
        return None
    copies = [i for i in heads.slug if not paras[i].decided]
    plain = [i for i in copies if not BREADCRUMB_MARKS.search(paras[i].text)]
    return (plain or copies or [None])[0]


BREADCRUMB_MARKS = re.compile(r" / | > | » |^\s*you are here\b", re.IGNORECASE)
SLUG_MIN_WORDS = 3
SLUG_SLACK = 6
SLUG_SHARE = 0.8
SLUG_COPIES = 2


@dataclass(frozen=True)
class Headlines:
    """Where the page says its headline again, found once per import: the lines
    that say the page title, and the lines that say the address's words."""

    titled: tuple[int, ...]
    slug: tuple[int, ...]
    slug_words: tuple[str, ...]


def _headlines(paras: list[Para], source_url: str) -> Headlines:
    return Headlines(
        tuple(_headline_copies(paras)),
        tuple(_slug_copies(paras, source_url)),
        tuple(_slug_words(source_url)),
    )


def _span_below_headline(
    paras: list[Para], start: int, heads: Headlines, least: float = MIN_ANCHORED_GAIN
) -> tuple[int, int] | None:
    """The stretch just below the page's headline, when the best stretch of the page
    stands elsewhere (a sidebar post or a reader's comment that outweighs a short
    article) and the headline's stretch has an article's worth of text."""
    copies = (
        [h for h in heads.titled if h < start]
        or [h for h in heads.slug if h < start]
        or _headlines_over_bylines(paras, start)
    )
    if not copies or any(h < start <= h + ANCHOR_REACH for h in copies):
        return None
    for h in copies:  # the first headline with an article under it
        starts = range(h + 1, min(len(paras), h + 1 + ANCHOR_REACH))
        found = max(
            (_stretch_from(paras, s, start) for s in starts), key=lambda f: f[0], default=None
        )
        if found is not None and found[0] >= least:
            return found[1]
    return None


def _headline_in_run(paras: list[Para], start: int, end: int, heads: Headlines) -> int:
    """Where the run starts when the page's headline stands inside it: under the
    headline, when what stands above it weighs less than the article below (a
    sidebar's blurbs read into the run)."""
    titled = heads.titled
    found = [h for h in titled or heads.slug if not BREADCRUMB_MARKS.search(paras[h].text)]
    if not found or not start < found[0] < end:
        return start  # a second copy in the run is the headline of a box or a gallery
    h = found[0]
    dated = any(_header_line(p) or p.rule == "timestamp" for p in paras[h + 1 : h + 3])
    if not titled and not dated and _says_slug(paras[0].text, heads.slug_words):
        # a subheading that says the address's words, under a page title that says them
        return start
    above = sum(_gain(p) for p in paras[start:h])
    below = sum(_gain(p) for p in paras[h + 1 : end])
    return h + 1 if above < below else start


def _short_post(
    paras: list[Para], start: int, source_url: str, heads: Headlines
) -> tuple[int, int] | None:
    """A short post (a picture and a line or two) under its headline and over its
    comments, when the best stretch stands below the comments (a sidebar's blurb):
    the post is the article, however short."""
    comments = _comments_heading_above(paras, start)
    if comments is None or comments >= start or not paras:
        return None
    headline = _norm(_page_title_headline(paras[0].text, source_url))
    above = []
    if len(headline.split()) >= 3:  # shorter, a menu word, not a page's title
        above = [h for h in range(1, comments) if _norm(paras[h].text) == headline]
    if not above:
        # a pasted page has no page title: the line that says the address is the
        # headline, over a post too short for the headline's stretch to be found
        above = [h for h in heads.slug if h < comments]
        if not above:
            return None
        if sum(max(0.0, _gain(p)) for p in paras[above[-1] + 1 : comments]) >= MIN_ANCHORED_GAIN:
            return None
    lo = above[-1] + 1
    if any(not p.decided and p.words >= SHORT_POST_WORDS for p in paras[lo:comments]):
        return lo, comments
    return None


SHORT_POST_WORDS = 4


def _stretch_from(paras: list[Para], s: int, stop: int) -> tuple[float, tuple[int, int]]:
    """The best total gain of a stretch that starts at s and ends before stop, and the
    stretch (the shortest of equal ones). A caption printed twice, once with its
    credit, counts once."""
    best, span, total = float("-inf"), (s, s), 0.0
    for e in range(s, stop):
        if e == s or not _same_opening(paras[e], paras[e - 1]):
            # under the headline, a date line is the header's, not furniture
            total += -SHORT_LINE_COST if paras[e].rule == "timestamp" else _gain(paras[e])
        if total > best:
            best, span = total, (s, e + 1)
    return best, span


def _main_run(paras: list[Para], source_url: str, heads: Headlines) -> tuple[int, int, int]:
    """[start, end) of the article: the best stretch, begun at the page's headline
    when the headline stands above it with an article's worth of text of its own
    (the lines between, a paywall's offer or a sidebar, are not the article). The
    third figure is where the header search starts: the best stretch's start when a
    byline stands between the two, so that it is read."""
    start, end = _best_run(paras)
    start = _headline_in_run(paras, start, end, heads)
    if (post := _short_post(paras, start, source_url, heads)) is not None:
        return (*post, post[0])
    anchored = _span_below_headline(paras, start, heads)
    short = anchored is None and sum(_gain(p) for p in paras[start:end]) <= BLURB_GAIN
    if short:
        # A short text under its headline is the article when what outweighs it
        # is a blurb or a comment, not another article's worth of text.
        anchored = _span_below_headline(paras, start, heads, SHORT_ANCHORED_GAIN)
    if anchored is None:
        return start, end, start
    between = paras[anchored[1] : start]
    header = len(between) <= HEADER_LINES and any(
        _header_line(p) or AUTHOR_LABEL.fullmatch(p.text) for p in between
    )
    if header and short:
        return start, end, start  # a standfirst over a short text behind a paywall
    if header:
        # the headline's stretch is the standfirst over the byline and date: kept, and
        # the header search reads the byline and date from the best stretch up
        return anchored[0], end, start
    if any(p.rule in ARTICLE_END_RULES for p in between):
        return (*anchored, anchored[0])  # the article ended: below is another text
    for p in between:
        if not p.decided:
            p.set(CHROME, "break-in-article")
    return anchored[0], end, anchored[0]


# A byline or date line between the headline's stretch and the best one, a few lines
# apart, makes the headline's stretch the standfirst: the share buttons and comment
# count there are the header's, not the article's end.
HEADER_LINES = 12

# What stands under an article's end: its tags, its share buttons, its comments.
ARTICLE_END_RULES = frozenset({"tag-list", "share-social", "comments-section"})


def _best_run(paras: list[Para]) -> tuple[int, int]:
    """[start, end) of the stretch with the greatest total gain, cut at the
    first comments/related-links heading that follows a substantial part of it."""
    best, (start, end) = _best_span(paras, 0, len(paras))
    heading = _related_heading_above(paras, start)
    if heading is not None:
        # What follows a "Related …" heading is other pages' text: the article
        # is above it whenever there is some prose there.
        gain, (lo, hi) = _best_span(paras, 0, heading)
        listed = all(p.words < RELATED_ITEM_WORDS for p in paras[start:end])
        if listed and gain > 0 and any(p.prose for p in paras[lo:hi]):
            start, end = lo, hi
    comments = _comments_heading_above(paras, start)
    if comments is not None:
        # A long thread of comments can outweigh the article it follows: what
        # comes after the comments heading is readers' text, the article is above.
        gain, (lo, hi) = _best_span(paras, 0, comments)
        if gain >= MIN_ARTICLE_GAIN:
            start, end = lo, hi
    pieces: list[tuple[int, int, float]] = []
    piece_start, piece_gain = start, 0.0
    before_thread = None  # how many pieces stand above the first comment
    for i in range(start, end):
        p = paras[i]
        if p.rule in SECTION_BREAK_RULES and _comments_link_above(paras, i, end, piece_gain):
            piece_gain += _gain(p)
        elif (
            p.rule in SECTION_BREAK_RULES
            or p.rule == "gallery-loader"
            or p.rule == "comment-header"
            and _opens_thread(paras, i)
        ):
            pieces.append((piece_start, i, piece_gain))
            piece_start, piece_gain = i + 1, 0.0
            if before_thread is None and p.stamp:
                before_thread = len(pieces)
        elif _signs_off(p):
            # "Reporting by …; Editing by …" signs the article off.
            pieces.append((piece_start, i + 1, piece_gain + max(0.0, _gain(p))))
            piece_start, piece_gain = i + 1, 0.0
        else:
            piece_gain += _gain(p)
    pieces.append((piece_start, end, piece_gain))
    # A short post above a long thread of stamped comments is still the article.
    above = pieces[:before_thread] if before_thread else []
    if above and max(gain for _, _, gain in above) > 0:
        pieces = above
    for lo, hi, gain in pieces:
        if gain >= MIN_ARTICLE_GAIN:
            return lo, hi
    lo, hi, _ = max(pieces, key=lambda piece: piece[2])
    return lo, hi


def _source_name(paras: list[Para], source_url: str) -> tuple[str, str]:
    for p in paras[:40] + paras[-60:]:
        m = re.search(
            r"\b(?:notifications|newsletters?|updates|alerts) from (?P<name>(?:the )?[A-Z][\w&'’.\-]*(?: [A-Z][\w&'’.\-]*){0,4})",
            p.text,
            re.IGNORECASE,
        )
        if m and m.group("name")[0].isupper():
            return m.group("name"), "named-in-prompt"
    first = paras[0].text if paras else ""
    m = re.search(r"\s[|\-–—]\s(?P<name>[^|\-–—]{2,40})$", first)
    if m and len(WORD.findall(m.group("name"))) <= 5:
        return m.group("name").strip(), "page-title-suffix"
    if source_url:
        host = (urlsplit(source_url).hostname or "").removeprefix("www.")
        if host:
            return host, "source-url"
    return "", ""


# How far into the main run a line that repeats the page title is still its headline.
TITLE_REACH = 5
# How far above the first paragraph a headline is looked for when nothing else placed it.
HEADLINE_REACH = 40
# Buttons and menu entries of the page around an article, as a select-all copy keeps them
# ("Increase article font size", "Print this article", "Today's Paper").
PAGE_CONTROL = re.compile(
    r"(?i)^(?:"
    rf"{TEXT_SIZE_CONTROL}"
    r"|(?:toggle|skip to|jump to|back to|click|tap|expand|collapse)\b.*"
    r"|(?:share|print|save|bookmark|email|copy|listen to|subscribe|sign in|log in|sign up|follow)"
    r"(?: (?:this|the|our|us|on|to|link|article|story|page|now|for \w+))*"
    r"|(?:read|load|see|view|show) (?:more|all|less)\b.*"
    r"|today'?s paper|e-?paper|e-?edition|\w+ edition|edition|place an ad|advertisement"
    r"|sponsored(?: content)?|main menu|menu|search(?: (?:this|the|our) (?:site|blog|website|archives?)| [\w ]{1,30}blog)?"
    r"|take (?:our|the) poll|frequently asked questions|remember (?:me|personal info)\??"
    r"|send (?:this |it )?to a friend|your ad here|get (?:new )?posts by e-?mail"
    r"|continue reading(?: the main story| below)?"
    r"|open in (?:a )?new (?:window|tab)"
    r")[.:!]?$"
)
PAGE_CONTROL_WORDS = 6
SHOUTED_LABEL_WORDS = 4
# When the page says it was written, or how long it takes to read: "Updated 4 hours ago",
# "Published: …", "3 minute read".
TIME_LABEL = re.compile(
    r"(?i)^(?:(?:last |first )?(?:updated|published|posted|modified)\b"
    r"|.*\b\d+\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+ago\b)"
)
READING_TIME = re.compile(r"(?i)^\d+[\s-]*(?:minutes?|mins?)\s*read")
READING_TIME_WORDS = 5
# A control's label with more glued on ("Share this articleComments"): short lines only.
CONTROL_START = re.compile(
    r"(?i)^(?:share|print|save|e-?mail|subscribe|follow|listen|sign in|log in)\b"
)
CONTROL_START_WORDS = 4
# Credits that split_credit leaves to the caption rules (no colon, not at the very end):
# "… Photo by Jane Doe /Agency", "… (AP Photo/Jane Doe) - Copyright AP Photo".
PHOTO_CREDIT = re.compile(
    r"\S.*(?:\b(?:[Pp]hoto|[Ii]mage|[Pp]icture)s? by [A-Z]|\((?:AP|AFP|EPA|PA|Reuters)? ?Photo ?/|©|\s[-–|]\s*Copyright\b)"
)
# The trail of links from the home page printed before the headline: "Home / Blog / <headline>".
TRAIL_BEFORE_TITLE = re.compile(r"(?i)^home\s*(?:[/›>»]\s*[^/›>»]{1,30}?\s*)*[/›>»]\s*(?=\S)")
# A player's button that a select-all copy runs onto the headline above it.
MEDIA_CONTROL_TAIL = re.compile(r"\s+(?:Back to video|Watch video|Play video)$")
# A button run onto the writer's name ("Jane Doe Become a fan"): a byline box, not a headline.
FAN_BUTTON = re.compile(r"\bBecome a fan$")
# A line that stops on one of these is cut short, not a headline ("Try refreshing your browser, or").
DANGLING = frozenset("a an and or but the of to in on for with by from as at".split())


# A short line that starts at the site's home page is its breadcrumb.
BREADCRUMB = re.compile(r"^\s*home\b\s*[^\w\s]*\s*\w", re.IGNORECASE)
BREADCRUMB_WORDS = 5
# "« Previous post", "Next post »": links to the posts on either side; "City Guide » Food »
# Restaurants", "twitter // youtube // rss": a trail or a menu on one line; a label
# ending in a colon ("Navigation: Jump to content areas:").
NAVIGATION_MARKS = re.compile(r"^\s*«|»\s*$|».*»|//.*//|:\s*$|→|\s/\s.*\s/\s.*\s/\s")
# A writer's or photographer's credit line: "by Jane Doe on Aug 9, 2012 in Sports",
# "Text by Jane Doe", "Jane Doe / AP". ("By the numbers: …" is a headline: a
# capital must follow, and not a little word's.)
SIGNED_LINE = re.compile(
    rf"^(?:(?:by|(?:text|words|story|written|photos?|reporting) by)\s+(?!(?:{'|'.join(sorted(NOT_A_NAME))})\b)[A-Z]"
    r"|guest (?:blogger|post|author|writer|column)\s*:"
    # "Posted on: 08-7-2012 … Posted by: Jo", "11.05.12 Written by Jo", "… | Published in Design"
    r"|(?:.*(?:\||\d\S*)\s+)?(?:posted|published|written|filed)\s+(?:by|on|in|under)\b"
    # "Nov 6th '12 by Tom Doe @ 10:58am", "sounds — jodoe @ 11:56": a post's stamp
    r"|.*\s@\s?\d{1,2}:\d{2}"
    r"|[A-Z][\w.'’ -]{2,40}\s/\s?(?:AP|AFP|EPA|Reuters|Getty Images|Bloomberg|PA)$)",
    re.IGNORECASE,
)
# The page's labels for the post's metadata, with their values: "Source: Bravotv.com",
# "Labels: Blog News", "Tags: …", "Bookmarks: del.icio.us, reddit", "Closed captioning of: …".
METADATA_LABEL = re.compile(
    r"(?i)^(?:source|labels?|tags?|tagged|categories|category|bookmarks|topics|keywords"
    r"|closed captioning of|transcript of)\s*:"
)
# "Tom Doe, Reporter, The Example Journal": a writer's name and post, as the byline prints them.
NAME_AND_POST = re.compile(
    r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}, (?:(?:Senior|Staff|Chief|Contributing|Special|Guest|"
    r"Associate|Deputy|Managing|Political|Foreign|Business|Sports|Science|Health|Tech) )*"
    r"(?:Reporter|Correspondent|Contributor|Writer|Editor|Columnist|Blogger|Producer|Journalist)\b"
)
# A clock time or a date in figures alone ("8:57pm, EDT", "11.09.12"), a gallery's counter
# ("1 of 5"), a count of views: the page's furniture around a headline, never one.
STAMP_ONLY = re.compile(
    r"(?i)^(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?,?\s*(?:[a-z]{2,4})?"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d+ of \d+|[\d,.]+k? (?:views|comments|shares|likes|reads))$"
)
# "Next story in Space <its headline>", "Previous post: <its headline>", "Jump to video
# <its headline>", "Share this Story : <site>": a link away from the article, however
# long the text run on to it.
LINK_AWAY = re.compile(
    r"(?i)^(?:(?:next|previous|prev|older|newer) (?:story|article|post|entry)|(?:skip|jump) to"
    r"|share this (?:story|article|post|page))\b"
)
# "E-mail info@site.example", "Phone +41 41 544 78 00": the site's contact lines.
CONTACT_LINE = re.compile(r"\S@\S+\.\w|^\s*(?:e-?mail|phone|tel|telephone|fax)\b", re.IGNORECASE)
CONTACT_LINE_WORDS = 8
SITE_NAME_LETTERS = 6
SIGNED_LINE_WORDS = 20


def _never_title(p: Para, site_names: frozenset[str], *, shouted: bool = True) -> bool:
    """A page control, the site's name or a one-word line is never an article's title;
    nor, unless ``shouted`` is false, a short line in capitals (a kicker, "GOT A TIP?")."""
    if p.words < 2 or p.row or _norm(p.text) in site_names:
        return True
    if p.text.lstrip()[:1] in ("—", "–"):
        return True  # "— a combination of simple living, …": the site's tagline, run on
    if names_site(p.text, map(squashed, site_names), min_letters=SITE_NAME_LETTERS):
        return True  # "Joy the Baker" on joythebaker.com: the site's name
    if p.text.count("•") >= 2:  # "Home • News • Features": a menu on one line
        return True
    if NAVIGATION_MARKS.search(p.text):
        return True
    if p.words <= BREADCRUMB_WORDS and BREADCRUMB.match(p.text):  # "Home Investigations"
        return True
    if split_credit(p.text)[1] or PHOTO_CREDIT.search(p.text):  # a photo's caption
        return True
    if p.words <= SIGNED_LINE_WORDS and SIGNED_LINE.match(p.text) or LINK_AWAY.match(p.text):
        return True
    if NAME_AND_POST.match(p.text) or FAN_BUTTON.search(p.text):
        return True
    if STAMP_ONLY.match(p.text.strip()) or METADATA_LABEL.match(p.text):
        return True
    if p.words <= CONTACT_LINE_WORDS and CONTACT_LINE.search(p.text):
        return True
    short = p.words <= PAGE_CONTROL_WORDS
    if short and (PAGE_CONTROL.match(p.text) or is_share_line(p.text)):
        return True
    if short and TIME_LABEL.match(p.text) or READING_TIME.match(p.text):
        return True
    if p.words <= CONTROL_START_WORDS and CONTROL_START.match(p.text):
        return True
    return shouted and p.words <= SHOUTED_LABEL_WORDS and p.text.isupper()


def _trail_to(p: Para, below: Para) -> bool:
    """A line that ends with the line below it, after words of its own: the trail of
    links to the page ("Home News Business News <headline>") over its headline."""
    return len(p.text) > len(below.text) and p.text.rstrip().endswith(below.text.strip())


# A teaser cut short: "… With a background in... More".
TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*(?:(?:read )?more\b.*)?$", re.IGNORECASE)


def _heading_like(p: Para) -> bool:
    """A headline: a few words, not a sentence ending in a full stop, nor cut short."""
    words = WORD.findall(p.text.casefold())
    content = [w for w in words if w not in DANGLING]
    return (
        3 <= p.words <= 40
        and not p.text.rstrip().endswith((".", ",", ";"))
        and not TRUNCATED.search(p.text)
        and not p.text.rstrip().endswith(("(", "["))  # a caption cut before its credit
        and bool(words)
        and words[-1] not in DANGLING
        # a menu says its words again ("Weather Extreme Weather Climate …"); a headline not,
        # but for its little words ("the End of the Fight for the Soul of the GOP")
        and len(set(content)) >= 0.8 * len(content)
    )


def _first_paragraph(paras: list[Para], start: int) -> int:
    """Where the text proper begins: a long sentence or two, not a long headline."""
    for i in range(start, min(len(paras), start + TITLE_REACH + 5)):
        p = paras[i]
        if p.prose and (p.words >= 25 or p.text.rstrip().endswith((".", ".”", '."'))):
            return i
    return start


def _trim_to_page_title(text: str, page_title: str) -> str:
    """The headline without words that run on past the page title ("… Back to video")."""
    wanted = _norm(_strip_site_suffix(page_title)).split()
    found = list(WORD.finditer(text.casefold()))
    if len(wanted) < 3 or len(found) <= len(wanted):
        return text
    if [m.group() for m in found[: len(wanted)]] != wanted:
        return text
    cut = found[len(wanted) - 1].end()
    tail = re.match(r"[^\w\s]*", text[cut:])
    return text[: cut + (tail.end() if tail else 0)].rstrip()


# A headline has a few words at least; shorter repeated lines are slogans and section names.
REPEATED_HEADLINE_WORDS = 5
# How close above the first paragraph the repeat of a headline stands, and how near the
# top of the page its first copy (the title bar, the <title> of a scrape).
REPEAT_REACH = 15
TOP_LINES = 20


def _repeated_headline(paras: list[Para], candidates: list[int], start: int):
    """A page copied whole often shows its headline twice (in the page's title bar or
    breadcrumb near the top, then above the text): the copy just above the text."""
    first = _first_paragraph(paras, start)
    norms = [_norm(p.text) for p in paras[: first + 1]]
    # The second copy may already be set aside as a repeat of the first.
    copies = [
        i
        for i in range(len(norms))
        if paras[i].rule == "duplicate-paragraph" and not paras[paras[i].first].decided
    ]
    repeats = [
        i
        for i in sorted({*candidates, *copies})
        if first - REPEAT_REACH <= i <= first
        and paras[i].words >= REPEATED_HEADLINE_WORDS
        and _heading_like(paras[i])
        and norms[i] in norms[: min(i, TOP_LINES)]
    ]
    if not repeats:
        return None
    return max(repeats, key=lambda i: (len(norms[i]), i)), "title-repeated"


def _longest_headline(paras: list[Para], anchors: list[int], start: int, site_names):
    """The longest headline-like line above the first paragraph: what is left when no
    title line, repeat or byline placed the headline (a page pasted whole)."""
    first = _first_paragraph(paras, start)
    found = [
        i
        for i in range(max(0, first - HEADLINE_REACH), first)
        if (not paras[i].decided or paras[i].rule in ("navigation", "outside-main-text"))
        and i not in anchors
        and _heading_like(paras[i])
        and not _never_title(paras[i], site_names)
    ]
    if found:
        return max(found, key=lambda i: (paras[i].words, i)), "longest-headline-above-text"
    # The source's other pages list this headline in their sidebars, so it recurs in the
    # source; with no other headline, it is the one right over the byline or the text.
    listed = [
        i
        for i in range(max(0, first - HEADLINE_REACH), first)
        if paras[i].rule == "recurring-in-source"
        and (i + 1 in anchors or i + 1 == first)
        and _heading_like(paras[i])
        and not _never_title(paras[i], site_names)
    ]
    if listed:
        return max(listed), "headline-listed-elsewhere"
    return None


NAME_AGAIN_REACH = 10


def _name_again(paras: list[Para], j: int) -> bool:
    """A name printed twice a few lines apart (in the byline, then over the writer's
    box): the writer, never the headline."""
    p = paras[j]
    if not _looks_like_name(p):
        return False
    near = paras[max(0, j - NAME_AGAIN_REACH) : j] + paras[j + 1 : j + 1 + NAME_AGAIN_REACH]
    return any(_norm(q.text) == _norm(p.text) for q in near)


def _find_header(paras: list[Para], start: int, site_names: frozenset[str] = frozenset()) -> dict:
    """Title, standfirst, byline and date above (or at the top of) the main run."""
    lo = max(0, start - 30)
    hi = min(len(paras), start + 3)
    window = range(lo, hi)
    info: dict = {"title": None, "subtitle": None, "bylines": [], "dates": []}
    # the run's first paragraph longer than a standfirst: a byline under it signs the post off
    text_from = next(
        (k for k in range(start, hi) if paras[k].prose and paras[k].words > STANDFIRST_WORDS), hi
    )
    for i in window:
        p = paras[i]
        if p.role == CHROME and p.rule not in ("duplicate-paragraph", "timestamp"):
            continue
        when = _is_date_line(p)
        names = _byline_names(p)
        if not names:
            names = _name_with_stamp(p)
        if not names and AUTHOR_LABEL.fullmatch(p.text) and i + 1 < len(paras):
            nxt = paras[i + 1]
            if not nxt.decided and _looks_like_name(nxt):
                names = nxt.text
                # the name's own line is the byline too, never the headline
                info["bylines"].append((i + 1, names))
        if names and i > text_from:
            continue  # "by Jane at 09:53" under the text's first paragraph
        if names:
            info["bylines"].append((i, names))
            if when:
                info["dates"].append((i, when))
        elif when:
            info["dates"].append((i, when))
    anchors = [i for i, _ in info["bylines"]] + [i for i, _ in info["dates"]]
    # Name lines right next to a date line ("Jane Doe\nTuesday 21 January 2014").
    for i, _ in list(info["dates"]):
        for j in (i - 1, i + 1):
            if lo <= j < hi and j not in anchors and _looks_like_name(paras[j]):
                if not paras[j].decided:
                    info["bylines"].append((j, paras[j].text))
                    anchors.append(j)
    page_title = _norm(paras[0].text) if paras and paras[0].role != CHROME else ""
    # A headline in capitals is still the title when it repeats the page's title.
    candidates = [
        i
        for i in range(lo, min(len(paras), start + TITLE_REACH))
        if not paras[i].decided
        and i not in anchors
        and 2 <= paras[i].words <= 40
        and not _never_title(paras[i], site_names, shouted=False)
    ]
    title = None
    if page_title:
        title_words = set(page_title.split())
        # Past the top of the run, a line must carry nearly all of the page title (without the site's name).
        bare = _norm(_strip_site_suffix(paras[0].text)).split() or [""]
        best = 0.0
        for i in candidates:
            words = _norm(paras[i].text).split()
            if i == 0 or len(words) < 3:
                continue
            shared = sum(1 for w in words if w in title_words)
            score = min(shared / len(words), shared / len(title_words) + 0.3)
            if score >= 0.6 and score >= best and (i < start + 2 or shared >= 0.8 * len(bare)):
                best, title = score, (i, "title-in-page-title")
    candidates = [i for i in candidates if not _never_title(paras[i], site_names)]
    if title is None:
        title = _repeated_headline(paras, candidates, start)
    if title is None and anchors:
        top = min(a for a in anchors if a >= min(anchors))
        # the header block: anchors that lie close together nearest the main run
        block = sorted(a for a in anchors if a < start + 2)
        if block:
            top = block[0]
            for a in reversed(block):
                if all(b >= a for b in block):
                    break
            above = []
            places = 0
            j = top - 1
            while j >= lo and places < 3:
                p = paras[j]
                # A menu word printed again and again ("News") stands in the header as
                # any short line does: it takes a place, it is never the headline.
                if p.decided and p.rule != "repeated-label":
                    if above or p.role != CAPTION and p.rule != "duplicate-caption":
                        break
                    j -= 1
                    continue
                # a line said twice in a row (a picture's credit under its alt text) takes one place
                places += not above or p.text != paras[above[-1]].text
                above.append(j)
                j -= 1
            above.reverse()
            # kicker / headline / standfirst, top to bottom
            headlines = [
                k
                for k in above
                if 3 <= paras[k].words <= 40
                and paras[k].rule != "repeated-label"
                and not _never_title(paras[k], site_names)
            ]
            # a sentence over the headline is a promo, not a kicker
            headlines = [k for k in headlines if _heading_like(paras[k])] or headlines
            # "Home News Business News <headline>" over the headline: a trail of links to it
            headlines = [k for k in headlines if not _trail_to(paras[k], paras[k + 1])]
            if headlines:
                title = (headlines[0], "title-above-byline")
    if title is None:
        j = max(start, _first_paragraph(paras, start)) - 1
        skipped = 0
        while j >= lo and skipped < 6:
            p = paras[j]
            if p.decided or j in anchors or _never_title(p, site_names) or _name_again(paras, j):
                j -= 1
                skipped += 1
                continue
            # (a line ending in a colon is never a title: skipped above)
            if 3 <= p.words <= 30 and _heading_like(p):
                title = (j, "headline-above-text")
            break
    if title is None:
        title = _headline_under_date(paras, info["dates"], anchors, start, site_names)
    far = title is not None and title[0] < start - WRITER_BOX_REACH
    if far and title[1] == "title-above-byline":
        # The date and the tags far above the text: the headline may stand right over the
        # writer's name and links, just above the text ("Katie Doe" / "View Profile").
        h = _headline_over_name(paras, lo, start, site_names)
        if h is not None:
            title = (h, "headline-over-name")
            info["bylines"].append((h + 1, paras[h + 1].text))
    if title is not None and title[0] + 1 < len(paras):
        # "Five days, two outages for ..." over the headline it cuts short
        stem = TRUNCATED.sub("", paras[title[0]].text).rstrip()
        if stem != paras[title[0]].text and paras[title[0] + 1].text.startswith(stem):
            title = (title[0] + 1, title[1])
    info["anchors"] = anchors
    info["title"] = title
    if title is not None:
        t = title[0]
        # A standfirst: a sentence between the headline and the byline/date.
        nxt = t + 1
        if nxt < len(paras) and not paras[nxt].decided and nxt not in anchors:
            p = paras[nxt]
            later = [a for a in anchors if a > nxt]
            dateline = find_date(p.text[:DATELINE_CHARS]) is not None  # "05/10/2018 - By …"
            if p.words >= 8 and not dateline and (later and later[0] <= nxt + 2 or nxt < start):
                info["subtitle"] = (nxt, "standfirst-below-title")
    return info


def _headline_under_date(paras: list[Para], dates, anchors, start: int, site_names):
    """A blog's post: its date, then its headline over the text ("20 July 2012", "9 reasons
    to be excited by the new app", …), at the top of the text."""
    for a, _ in sorted(dates):
        c = a + 1
        if not start - 2 <= a <= start + 2 or c + 1 >= len(paras):
            continue
        p = paras[c]
        if (
            not p.decided
            and c not in anchors
            and 3 <= p.words <= 25
            and _heading_like(p)
            and not SENTENCE_BREAK.search(p.text)  # "Does your …? Are you …?": a teaser
            and not _never_title(p, site_names)
        ):
            return c, "headline-under-date"
    return None


def _headline_over_name(paras: list[Para], lo: int, start: int, site_names) -> int | None:
    """A heading-like line over a writer's name over the writer's links ("View Profile"),
    within WRITER_BOX_REACH lines above the text; lines the source's other pages list too
    (a headline, a writer's name) count."""
    first = _first_paragraph(paras, start)
    for h in range(max(lo, first - WRITER_BOX_REACH), first - 2):
        p, name = paras[h], paras[h + 1]
        if (
            p.words >= 4
            and p.rule in WRITER_BOX_RULES
            and name.rule in WRITER_BOX_RULES
            and _looks_like_name(name)
            and not name.text.isupper()
            and AUTHOR_LINKS.match(paras[h + 2].text)
            and _heading_like(p)
            and not _never_title(p, site_names)
        ):
            return h
    return None


BYLINE_REACH = 8
# The writer's box under a headline: the links under the name, and how far above the text.
AUTHOR_LINKS = re.compile(
    r"(?i)^(?:view (?:full )?profile|follow|more (?:by|from)|all (?:posts|stories) by)\b"
)
WRITER_BOX_REACH = 8
# What the headline and the name over the writer's links may have been taken for: the menus
# round them, or lines the source's other pages print too.
WRITER_BOX_RULES = ("", "navigation", "recurring-in-source")
SENTENCE_BREAK = re.compile(r"[.?!]\s+[A-Z]")
# A standfirst can stand between the run's start and the byline; a longer paragraph there
# is the text itself.
STANDFIRST_WORDS = 40

# A line with a date this close to its start is a dateline, never a standfirst.
DATELINE_CHARS = 25
DATE_REACH = 80
DATE_LABEL = re.compile(r"(?i)\b(published|posted|first published)\b")


def _labelled_date_above(paras: list[Para], start: int) -> dt.datetime | None:
    """The nearest "Published …" date above the run when the header had none: page
    furniture (a paywall notice, an ad) can stand between the headline block and the text."""
    for p in reversed(paras[max(0, start - DATE_REACH) : start]):
        if p.words <= 24 and DATE_LABEL.search(p.text):
            when = _is_date_line(p)
            if when:
                return when
    return None


def _page_title(paras: list[Para], site_names: frozenset[str]) -> bool:
    """Whether the text's first line can be its title (a scrape's page title)."""
    return bool(paras) and paras[0].role != CHROME and not _never_title(paras[0], site_names)


def _header_in_run(
    paras: list[Para], start: int, end: int, site_names: frozenset[str]
) -> dict | None:
    """The header block a few lines into the run, when none stands above it: a promo
    or a teaser line heads the run, and the headline, standfirst and byline or date
    follow, and the text has no page title above. The header found from the first
    byline or date line there, if it has a title."""
    for j in range(start + 1, min(end, start + BYLINE_REACH)):
        p = paras[j]
        if p.prose and p.words > 20:
            continue
        if _byline_names(p) or _name_with_stamp(p) or _is_date_line(p):
            below = sum(max(0.0, _gain(q)) for q in paras[j + 1 : end])
            if below < max(MIN_ARTICLE_GAIN, sum(max(0.0, _gain(q)) for q in paras[start:j])):
                return None  # the text is above the byline, not below it
            header = _find_header(paras, j, site_names)
            return header if header["title"] is not None else None
    return None


def _byline_in_run(paras: list[Para], start: int, stop: int, result: Extracted) -> None:
    """A byline line a few paragraphs into the run, below a standfirst or two
    ("Jane Doe · Example News · Posted: Aug 8, 2024"): metadata, not body."""
    for p in paras[start:stop]:
        if p.decided or p.prose and p.words > 20:
            continue
        names = _byline_names(p) or _name_with_stamp(p)
        if names:
            result.byline = names
            when = _is_date_line(p)
            if when and result.published is None:
                result.published = when
            p.set("byline", "byline" if BYLINE_PREFIX.match(p.text) else "name-beside-date")
            return


def _page_title_headline(title: str, source_url: str, *, any_suffix: bool = True) -> str:
    """The headline in a page's title: without the site's name after it, however many
    parts that name has ("<headline> | Site - Tagline"), and after a short headline
    too when the site's name is its address ("Ball - Neatorama" on neatorama.com), and
    the site's name before it ("10Q Detective: <headline>" on 10qdetective.blogspot.com).
    Unless ``any_suffix``, only a suffix after a bar or naming the address goes."""
    head = title
    if any_suffix or " | " in title:
        head = _strip_site_suffix(title)
        if head != title and " | " in head:
            head = _strip_site_suffix(head)
    hosts = [squashed(host)] if (host := urlsplit(source_url).hostname or "") else []

    def names_host(part: str) -> bool:
        return names_site(part, hosts)

    m = re.match(r"^(?P<t>\S.*?)\s+[|\-–—]\s+(?P<site>[^|\-–—]{2,40})$", head)
    if m and names_host(m.group("site")):
        head = m.group("t")
    # "The Curious Brain » Broken Arrows", "Free Range Librarian › One of those birthdays":
    # a blog's name and its trail before the post's title
    # (or the post's title and the site's name after it: "Making of the Loveseat » CONTEMPORIST")
    m = re.match(r"^(?P<site>\S.{1,60}?)\s+[»›]\s+(?P<t>[^»›]{8,})$", head)
    if m:
        head = m.group("site") if names_host(m.group("t")) else m.group("t")
    # "10Q Detective: <headline>" on 10qdetective.blogspot.com: the site's name before it
    m = re.match(r"^(?P<site>[^:|–—]{2,40}?)\s*(?::|\s[|\-–—])\s+(?P<t>\S.*)$", head)
    if m and names_host(m.group("site")):
        head = m.group("t")
    return head


def _strip_site_suffix(title: str) -> str:
    m = re.match(r"^(?P<t>.{12,}?)\s+[|\-–—:]\s+[^|\-–—]{2,40}$", title) or re.match(
        r"^(?P<t>.{12,}?)\s+\|\s+[^|]{2,80}$", title  # "… | Site: News, Reviews and Rumors"
    )
    if not m:
        return title
    head = m.group("t")
    if title[m.end("t") :].lstrip().startswith("|"):
        # "Headline - National | Globalnews.ca": the section's name before the site's
        section = re.match(r"^(?P<t>.{12,}?)\s+[|\-–—]\s+\w+(?: \w+)?$", head)
        head = section.group("t") if section else head
    return head


def extract_text(
    text: str, *, source_url: str = "", recurring: Callable[[str], bool] | None = None
) -> Extracted:
    """Classify every paragraph of a page's text scrape by named rules."""
    if not text or not text.strip():
        raise ImportFailed("The text is empty: paste or upload the article's text.")
    paras = _paragraphs(text)
    if not any(p.words for p in paras):
        raise ImportFailed("The text has no words in it: paste or upload the article's text.")
    _mark_furniture(paras, recurring)
    _mark_repeated_labels(paras)
    _keep_recurring_subheadings(paras)
    _mark_tweet_feeds(paras)
    _mark_copies(paras)
    _mark_sandwiched(paras)
    _mark_commenter_stamps(paras)
    _mark_dated_cards(paras)
    _mark_comment_threads(paras)
    _mark_count_lists(paras)
    _mark_rows(paras)
    _mark_colon_lists(paras)
    _mark_timestamps(paras)
    _mark_captions(paras)
    _mark_glued_teasers(paras)
    _mark_headline_lists(paras)
    _mark_boxes_in_text(paras)
    _mark_promotion_boxes(paras)
    heads = _headlines(paras, source_url)
    start, end, header_from = _main_run(paras, source_url, heads)
    start, end = _cut_teaser_cards(paras, start, end)
    end = _cut_summary_cards(paras, start, end)
    if end == 0:
        start, end = 0, len(paras)
    end = _extend_through_numbered_list(paras, end)
    end = _extend_through_colon_list(paras, end)
    end = _keep_repeats_in_run(paras, start, end)
    _drop_far_captions(paras, start, end)
    _drop_galleries(paras, start, end)

    result = Extracted(source_url=source_url, extractor="text-rules")
    result.source_name, _ = _source_name(paras, source_url)
    site_names = frozenset(n for n in (_norm(result.source_name),) if n)
    header = _find_header(paras, header_from, site_names)
    if header["title"] is None and not header["anchors"] and not _page_title(paras, site_names):
        header = _header_in_run(paras, start, end, site_names) or header
    header_end = -1
    if header["title"] is not None:
        i, rule = header["title"]
        paras[i].set("title", rule)
        result.title = paras[i].text
        if rule == "title-in-page-title":
            result.title = _trim_to_page_title(result.title, paras[0].text)
        elif i == 0:  # "<title> | Site", "<title> - Site" on site.example
            result.title = _page_title_headline(result.title, source_url, any_suffix=False)
        header_end = max(header_end, i)
    elif _page_title(paras, site_names):
        result.title = _page_title_headline(paras[0].text, source_url)
        paras[0].set("title", "title-from-first-line")
        header_end = max(header_end, 0)
    elif longest := _longest_headline(paras, header["anchors"], start, site_names):
        i, rule = longest
        result.title = paras[i].text
        paras[i].set("title", rule)
        if i < start:
            header_end = max(header_end, i)
    result.title = MEDIA_CONTROL_TAIL.sub("", result.title or "") or result.title
    result.title = TRAIL_BEFORE_TITLE.sub("", result.title) or result.title
    # a line above the body that says the address's words, when the title found does not
    if (i := _title_from_address(paras, result.title, heads)) is not None and i <= start:
        for p in paras:
            if p.role == "title":
                p.role, p.rule = "", ""  # no longer the title: read as any other line
        paras[i].set("title", "title-from-address")
        result.title = TRAIL_BEFORE_TITLE.sub("", paras[i].text) or paras[i].text
        if header["subtitle"] is not None and header["subtitle"][0] <= i:
            header["subtitle"] = None  # the line under the other title: no standfirst of this one
    if header["subtitle"] is not None:
        i, rule = header["subtitle"]
        paras[i].set("subtitle", rule)
        result.subtitle = paras[i].text
        header_end = max(header_end, i)
    for i, names in header["bylines"]:
        if not result.byline:
            result.byline = names
        if not paras[i].decided:
            paras[i].set(
                "byline", "byline" if BYLINE_PREFIX.match(paras[i].text) else "name-beside-date"
            )
        header_end = max(header_end, i)
    dates = sorted(header["dates"], key=lambda d: ("updated" in paras[d[0]].text.casefold(), d[0]))
    if dates:
        result.published = dates[0][1]
    for i, _ in header["dates"]:
        if not paras[i].decided or paras[i].role == "byline":
            paras[i].set("date", "date-line") if not paras[i].decided else None
        header_end = max(header_end, i)
    if header_end >= start and header_from == start:
        start = header_end + 1
        end = max(end, start)
    if not result.byline:
        _byline_in_run(paras, start, min(end, start + BYLINE_REACH), result)
    if result.published is None:
        result.published = _labelled_date_above(paras, start)

    _classify_run(paras, start, end)
    _drop_author_bio(paras, result.byline, result.title)
    _keep_opening_above_paywall(paras, start)
    for p in paras:
        if p.decided:
            continue
        p.set(CHROME, "navigation" if not p.prose else "outside-main-text")
    result.segments = [
        Segment(html=html.escape(p.text, quote=False), kind=p.kind, role=p.role, rule=p.rule)
        for p in paras
    ]
    return result


# How far above the article's run a paywall's notice may stand, with the article's
# opening paragraph printed above it.
PAYWALL = re.compile(PAYWALL_NOTICE, re.IGNORECASE)
PAYWALL_REACH = 80
OPENING_MIN_WORDS = 20


def _keep_opening_above_paywall(paras: list[Para], start: int) -> None:
    """The article's first paragraph, printed above the paywall's box (and an advert's
    "story continues below"), with the rest of the article under the box."""
    for k in range(start - 1, max(-1, start - PAYWALL_REACH), -1):
        if paras[k].rule != "subscription-prompt" or not PAYWALL.search(paras[k].text):
            continue
        j = k - 1
        while j >= 0 and paras[j].rule == "advertisement" and k - j <= 4:
            j -= 1
        p = paras[j] if j >= 0 else None
        if p is not None and not p.decided and p.prose and p.words >= OPENING_MIN_WORDS:
            p.set(BODY, "opening-above-paywall")
        return


# "Jane Doe is a freelance writer based in Toronto.": the writer's note under the
# article, a name of two to four words and what they do.
AUTHOR_BIO = re.compile(
    r"^(?i:about the author:?\s*)?(?!The\b)[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+"
    r"(?:is|was|has been)\b[^.]{0,120}?\b(?:correspondent|reporter|writer|"
    r"editor|journalist|columnist|producer|contributor|author|educator|founder|freelancer?|"
    r"professor|fellow|analyst|blogger|novelist|host|director|researcher)s?\b"
)
BIO_REACH = 4
# The heading over the writer's note: "About the Author", or "About Jane Doe" (a first
# and last name) over a note that begins with her name.
ABOUT_THE_AUTHOR = re.compile(r"^\s*about the (author|writer)s?\s*:?\s*$", re.IGNORECASE)
ABOUT_NAME = re.compile(
    r"^\s*(?:About|Über|Sobre|Acerca de|À propos de|A propos de|Over|Om) "
    r"(?P<name>[A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+){1,2})\s*$"
)
# The note names its writer in its first words ("Als Sales Manager bildet Moritz Bachmann …").
NOTE_NAMES_WITHIN = 12


def _heads_writers_note(p: Para, below: list[Para]) -> bool:
    """Whether the line is the heading of the writer's note (below: the next paragraph)."""
    if ABOUT_THE_AUTHOR.match(p.text):
        return True
    m = ABOUT_NAME.match(p.text)
    if not m or not below:
        return False
    opening = " ".join(below[0].text.split()[:NOTE_NAMES_WITHIN])
    return below[0].text.startswith(m.group("name").split()[0] + " ") or m.group("name") in opening


# "Ascom is a global solutions provider focused on …": the note on the company that
# issued a press release, under the release, on the company its headline names.
COMPANY_NOTE = re.compile(
    r"^(?P<name>(?!The\b)[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3})(?: \([^)]{1,40}\))?,? "
    r"(?:is|are) (?:a|an|one of the)\b[^.]{0,80}?\b(?:provider|company|companies|manufacturer|"
    r"maker|developer|supplier|group|firm|leader|specialist|organi[sz]ation|network|operator|"
    r"platform|brand|retailer|publisher|agency|bank|insurer)s?\b"
)


def _company_note(text: str, title: str) -> bool:
    m = COMPANY_NOTE.match(text)
    return bool(m and re.search(rf"\b{re.escape(m.group('name'))}\b", title))


def _drop_author_bio(paras: list[Para], byline: str, title: str) -> None:
    """The writer's note among the article's last paragraphs, and what follows it.
    A note on the byline's writer is the note wherever it stands in the article's
    second half, and a heading over it that names the writer ("About Jane Doe") goes too.
    A press release's note on the company its headline (`title`) names ends it the same way."""
    kept = [p for p in paras if p.role in (BODY, CAPTION)]
    found = _note_under_article(kept, byline, title)
    if found is not None:
        first, rule = found
        for q in kept[first:]:
            q.set(CHROME, rule)


def _note_under_article(kept: list[Para], byline: str, title: str) -> tuple[int, str] | None:
    """Where the writer's or the company's note begins among the kept paragraphs, and its rule."""
    writers = [n.strip() for n in re.split(r",\s*|\s+and\s+|\s*&\s*", byline) if " " in n.strip()]
    for k, p in enumerate(kept):
        if k >= len(kept) // 2 and _heads_writers_note(p, kept[k + 1 : k + 2]):
            return k, "author-bio"
        if k >= len(kept) - BIO_REACH and _company_note(p.text, title):
            return k, "company-note"
        if not AUTHOR_BIO.match(p.text):
            continue
        on_writer = k >= len(kept) // 2 and any(p.text.startswith(n) for n in writers)
        if k >= len(kept) - BIO_REACH or on_writer:
            # the writer's name on a line of its own over the note goes with it
            named_above = on_writer and k and kept[k - 1].words <= 6
            if named_above and any(n in kept[k - 1].text for n in writers):
                return k - 1, "author-bio"
            return k, "author-bio"
    return None


def _classify_run(paras: list[Para], start: int, end: int) -> None:
    for i in range(start, end):
        p = paras[i]
        if p.decided:
            continue
        if p.item:
            p.set(BODY, "list-after-colon", "li")
            continue
        if p.prose:
            p.set(BODY, "")
            continue
        nxt = next((q for q in paras[i + 1 : end] if not q.decided), None)
        if p.terminal and p.words >= 3:
            p.set(BODY, "short-paragraph")
        elif (
            nxt is not None
            and nxt.prose
            and 1 <= p.words <= 14
            and not p.text.endswith(",")
            and sum(ch.isalpha() for ch in p.text) >= 3
        ):
            p.set(BODY, "subheading", "h2")
        elif p.words >= 4:
            p.set(BODY, "short-paragraph")
        elif p.row:
            p.set(BODY, "list-row")
        else:
            p.set(CHROME, "stray-short-line")
    # The article's closing lines: credits and short sentences after the main run,
    # unless the run already ends on its credit line.
    if 0 < end <= len(paras) and _signs_off(paras[end - 1]):
        return
    j = end
    while j < len(paras) and j < end + 3:
        p = paras[j]
        if p.decided and p.role != CHROME or p.decided and p.rule != "duplicate-paragraph":
            if p.role == CHROME:
                break
            j += 1
            continue
        if ARTICLE_CREDIT.match(p.text) or (p.terminal and 3 <= p.words):
            p.set(BODY, "closing-line")
            j += 1
            continue
        break
