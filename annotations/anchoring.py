"""Re-anchoring annotations when an article's canonical text changes.

An annotation is stored as a W3C TextPositionSelector (``start``, ``end``: code-point
indices into ``Article.text``) plus a TextQuoteSelector (``quote``, ``prefix``,
``suffix``). Given a new text, :func:`reanchor` finds where the quote now lives:

1. the old offsets, if the quote is still there ("anchored");
2. else the exact occurrence whose surrounding text fits the stored context best,
   the nearest to the old offset on a tie ("moved", score 1.0);
3. else the passage most similar to the quote, if it is similar enough, when it
   is short or only just similar enough its context agrees, and the words that differ
   hold no negation, number or named entity (:func:`changes_meaning`) ("moved",
   score = similarity);
4. else nothing: "orphaned", score 0.0, with the old offsets clamped into the new text
   so that they stay valid indices and a later re-import that restores the passage
   finds it again by rule 1.

For "moved" the caller stores ``text[start:end]`` as the new quote and recomputes
prefix and suffix with :func:`context`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol

from rapidfuzz import process
from rapidfuzz.distance import Indel

CONTEXT = 32

# Normalized Indel similarity, 2·LCS / (len(a) + len(b)), of the quote and the candidate
# passage. Measured on sentences of the extraction-bench news articles: with 10% of the
# words replaced the median is 0.92 (all above 0.80), with 20% 0.84 (88% above), with
# 30% 0.76 (16% above), with half 0.63 (none); the best window of *unrelated* text
# scores 0.50–0.63. So 0.80 keeps a sentence edited in a word or two and lets go of one
# rewritten in other words, with a margin above what chance alone reaches.
FUZZY_THRESHOLD = 0.80

# A one- or two-word quote that no longer matches exactly is as likely to be a different
# word as an edited one, so below this length there is no fuzzy step at all ...
MIN_FUZZY_CHARS = 12
# ... and up to this length a fuzzy match must also sit in agreeing context.
SHORT_QUOTE_CHARS = 40
SHORT_QUOTE_CONTEXT = 0.70

# Formulaic text (market reports, repeated templates) holds look-alikes that clear the
# threshold; a match that is not clearly the quote must also sit in context that agrees
# more than unrelated text does (32 unrelated characters score about 0.3–0.45). On
# news articles with 30% of sentences edited, every correct fuzzy match below 0.90 had
# context above 0.70 unless its neighbouring sentences were rewritten as well.
CONFIDENT_SIMILARITY = 0.90
WEAK_MATCH_CONTEXT = 0.50

# Context ranks fuzzy candidates only as a secondary term: it can prefer the edited
# passage in its old surroundings over a slightly closer look-alike, never lift a
# candidate over the threshold.
CONTEXT_WEIGHT = 0.10
# The fixed-width window that locates a candidate scores below the refined span when
# it is off by a stride or the edit changed the passage's length.
LOCATE_MARGIN = 0.15
MAX_FUZZY_CANDIDATES = 6
EDGE_CANDIDATES = 5
# Bounds the work per refining step for very long quotes; further steps go further.
MAX_SLACK = 256

# Words whose appearance or disappearance turns a claim around however similar the
# characters stay ("was unaware" / "was fully aware").
NEGATIONS = frozenset(
    "not no nor never none nobody nothing nowhere neither without cannot cant wont dont "
    "doesnt didnt isnt arent wasnt werent hasnt havent hadnt shouldnt wouldnt couldnt "
    "mustnt neednt lack lacks lacked fail fails failed deny denies denied refuse refused "
    "refuses unless barely hardly".split()
)
NEGATING_PREFIXES = ("un", "non", "dis", "in", "im", "ir", "il", "mis")
# "un…" words that are no negation of anything.
NOT_NEGATED = ("under", "unit", "union", "univers", "uniq", "uniform", "unanim", "until", "uncle")
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred hundreds thousand thousands million millions billion billions "
    "trillion dozen dozens half quarter percent per cent first second third once twice "
    "double triple".split()
)
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*")

ANCHORED = "anchored"
MOVED = "moved"
ORPHANED = "orphaned"


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    status: str  # ANCHORED | MOVED | ORPHANED
    score: float  # 1.0 exact; fuzzy similarity otherwise; 0.0 orphaned


class SelectorLike(Protocol):
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def context(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The prefix and suffix (up to ``width`` characters each) around ``text[start:end]``."""
    return text[max(0, start - width) : start], text[end : end + width]


def _words(text: str) -> list[tuple[str, str, bool]]:
    """(folded word, word as written, whether it opens a sentence) for each word."""
    words = []
    for match in _WORD.finditer(text):
        i = match.start() - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        opens = i < 0 or text[i] in '.!?:;\n"“‘(—–-'
        word = match.group()
        words.append((word.casefold().replace("’", "'"), word, opens))
    return words


def _negates(word: str, others: set[str]) -> bool:
    bare = word.replace("'", "")
    if bare in NEGATIONS or word.endswith("n't"):
        return True
    for prefix in NEGATING_PREFIXES:
        stem = word[len(prefix) :]
        if word.startswith(prefix) and len(stem) >= 3 and stem in others:
            return True
    return word.startswith("un") and len(word) > 4 and not word.startswith(NOT_NEGATED)


def changes_meaning(old: str, new: str) -> bool:
    """Whether the words that differ between ``old`` and ``new`` include a negation, a
    number or a named entity: then ``new`` is not the same claim, however similar.

    A named entity is a capitalised word that does not open a sentence.
    """
    old_words, new_words = _words(old), _words(new)
    old_folded = Counter(w for w, _, _ in old_words)
    new_folded = Counter(w for w, _, _ in new_words)
    removed, added = old_folded - new_folded, new_folded - old_folded
    differing = set(removed) | set(added)
    everything = set(old_folded) | set(new_folded)
    for folded in differing:
        if _negates(folded, everything - {folded}):
            return True
        if any(c.isdigit() for c in folded) or folded in NUMBER_WORDS:
            return True
    for folded, written, opens in old_words + new_words:
        if folded in differing and written[:1].isupper() and not opens:
            return True
    return False


def reanchor(
    text: str,
    *,
    start: int,
    end: int,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    threshold: float = FUZZY_THRESHOLD,
) -> Anchor:
    return _Document(text).reanchor(start, end, quote, prefix, suffix, threshold)


def reanchor_many(
    text: str,
    selectors: Iterable[SelectorLike | Mapping[str, Any]],
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> list[Anchor]:
    """Re-anchor many selectors on one text, sharing the work that depends on the text.

    A selector is a mapping or an object (an ``Annotation`` will do) with ``start``,
    ``end``, ``quote`` and optionally ``prefix`` and ``suffix``.
    """
    document = _Document(text)
    results: dict[tuple[int, int, str, str, str], Anchor] = {}
    anchors = []
    for selector in selectors:
        key = _selector_fields(selector)
        if key not in results:
            results[key] = document.reanchor(*key, threshold)
        anchors.append(results[key])
    return anchors


def _selector_fields(selector: SelectorLike | Mapping[str, Any]) -> tuple[int, int, str, str, str]:
    if isinstance(selector, Mapping):
        get = selector.get
    else:

        def get(name: str, default: Any = None) -> Any:
            return getattr(selector, name, default)

    return (
        int(get("start", 0)),
        int(get("end", 0)),
        get("quote", "") or "",
        get("prefix", "") or "",
        get("suffix", "") or "",
    )


class _Document:
    """One text, with what several re-anchorings on it can share."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._occurrences: dict[str, list[int]] = {}
        self._windows: dict[int, tuple[list[int], list[str]]] = {}

    def reanchor(
        self, start: int, end: int, quote: str, prefix: str, suffix: str, threshold: float
    ) -> Anchor:
        text = self.text
        if quote and 0 <= start <= end <= len(text) and text[start:end] == quote:
            return Anchor(start, end, ANCHORED, 1.0)
        if quote:
            found = self._exact(start, quote, prefix, suffix) or self._fuzzy(
                start, quote, prefix, suffix, threshold
            )
            if found:
                return found
        clamped_start = min(max(start, 0), len(text))
        return Anchor(clamped_start, min(max(end, clamped_start), len(text)), ORPHANED, 0.0)

    def _exact(self, old_start: int, quote: str, prefix: str, suffix: str) -> Anchor | None:
        positions = self.occurrences(quote)
        if not positions:
            return None
        best = max(
            positions,
            key=lambda pos: (
                self.context_fit(pos, pos + len(quote), prefix, suffix),
                -abs(pos - old_start),
            ),
        )
        return Anchor(best, best + len(quote), MOVED, 1.0)

    def occurrences(self, quote: str) -> list[int]:
        """Every start of ``quote`` in the text, overlapping ones included."""
        if quote not in self._occurrences:
            positions = []
            pos = self.text.find(quote)
            while pos != -1:
                positions.append(pos)
                pos = self.text.find(quote, pos + 1)
            self._occurrences[quote] = positions
        return self._occurrences[quote]

    def context_fit(self, start: int, end: int, prefix: str, suffix: str) -> float:
        """How well the text around ``[start, end)`` matches the stored context, 0..1."""
        return (self.prefix_fit(start, prefix) + self.suffix_fit(end, suffix)) / 2

    def prefix_fit(self, start: int, prefix: str) -> float:
        # The candidate's side is at least CONTEXT characters wide, so a stored prefix that
        # is short because the quote opened the text fits a candidate at the start of the
        # text better than one in the middle of it.
        before = self.text[max(0, start - max(len(prefix), CONTEXT)) : start]
        return Indel.normalized_similarity(prefix, before)

    def suffix_fit(self, end: int, suffix: str) -> float:
        after = self.text[end : end + max(len(suffix), CONTEXT)]
        return Indel.normalized_similarity(suffix, after)

    def _fuzzy(
        self, old_start: int, quote: str, prefix: str, suffix: str, threshold: float
    ) -> Anchor | None:
        if len(quote.strip()) < MIN_FUZZY_CHARS:
            return None
        edges = _Edges.of(quote, prefix, suffix)
        best: tuple[tuple[float, int], Anchor] | None = None
        for window in self._locate(old_start, quote, threshold - LOCATE_MARGIN):
            span = self._refine(quote, prefix, suffix, window, edges)
            if span is None:
                continue
            start, end, similarity = span
            if similarity < threshold:
                continue
            if changes_meaning(quote, self.text[start:end]):
                continue
            fit = self.context_fit(start, end, prefix, suffix)
            if len(quote) < SHORT_QUOTE_CHARS and fit < SHORT_QUOTE_CONTEXT:
                continue
            if similarity < CONFIDENT_SIMILARITY and fit < WEAK_MATCH_CONTEXT:
                continue
            rank = (similarity + CONTEXT_WEIGHT * fit, -abs(start - old_start))
            if best is None or rank > best[0]:
                best = (rank, Anchor(start, end, MOVED, similarity))
        return best[1] if best else None

    def _locate(self, old_start: int, quote: str, cutoff: float) -> list[tuple[int, int]]:
        """Windows of the quote's width that resemble it: the best few that do not
        overlap, and the best around the old position."""
        text, width = self.text, len(quote)
        if width >= len(text):
            return [(0, len(text))]
        offsets, windows = self.windows(width)
        hits = process.extract(
            quote, windows, scorer=Indel.normalized_similarity, score_cutoff=cutoff, limit=None
        )
        chosen: list[int] = []
        near_old = False
        for _, _, index in hits:
            offset = offsets[index]
            is_near_old = abs(offset - old_start) < width
            if all(abs(offset - other) >= width for other in chosen) and (
                len(chosen) < MAX_FUZZY_CANDIDATES or (is_near_old and not near_old)
            ):
                chosen.append(offset)
                near_old = near_old or is_near_old
        return [(offset, offset + width) for offset in chosen]

    def windows(self, width: int) -> tuple[list[int], list[str]]:
        """Slices of ``width`` at a stride of a sixteenth of it, so that the best one is
        off the best-matching passage by a few percent of the quote at most."""
        if width not in self._windows:
            stride = max(1, width // 16)
            last = len(self.text) - width
            offsets = list(range(0, last, stride)) + [last]
            self._windows[width] = (offsets, [self.text[o : o + width] for o in offsets])
        return self._windows[width]

    def _refine(
        self, quote: str, prefix: str, suffix: str, window: tuple[int, int], edges: _Edges
    ) -> tuple[int, int, float] | None:
        """Move the ends of a fixed-width window to the span most similar to the quote.

        An edit makes the passage longer or shorter than the quote; at the threshold a
        passage can be up to half as long again, so each end moves within that slack,
        one end at a time until neither moves.
        """
        text = self.text
        slack = min(len(quote) // 2 + 2, MAX_SLACK)
        start, end = window
        low, high = 0, len(text)
        if edges.one_block:
            middle = (start + end) // 2
            low = text.rfind("\n", 0, middle) + 1
            high = text.find("\n", middle)
            if high == -1:
                high = len(text)
        similarity = 0.0
        for _ in range(8):
            ends = self._ends(max(start + 1, end - slack, low), min(high, end + slack), edges)
            new_end, similarity = self._pick(
                quote,
                {e: text[start:e] for e in ends},
                end,
                partial(self.suffix_fit, suffix=suffix),
            )
            starts = self._starts(max(low, start - slack), min(new_end - 1, start + slack), edges)
            new_start, similarity = self._pick(
                quote,
                {s: text[s:new_end] for s in starts},
                start,
                partial(self.prefix_fit, prefix=prefix),
            )
            if new_start < 0 or new_end < 0:
                return None
            if (new_start, new_end) == (start, end):
                break
            start, end = new_start, new_end
        return start, end, similarity

    @staticmethod
    def _pick(
        quote: str, spans: dict[int, str], current: int, fit: Callable[[int], float]
    ) -> tuple[int, float]:
        """The position whose span best matches the quote, and its similarity.

        Among the few most similar spans, the context on the moving side settles
        near-ties (a deleted word at the edge leaves two almost equal spans); then the
        position nearest to ``current``. (-1, 0.0) when there is no position.
        """
        if not spans:
            return -1, 0.0
        positions = sorted(spans, key=lambda p: abs(p - current))
        best = process.extract(
            quote,
            [spans[p] for p in positions],
            scorer=Indel.normalized_similarity,
            limit=EDGE_CANDIDATES,
        )
        _, similarity, index = max(
            best, key=lambda hit: (hit[1] + CONTEXT_WEIGHT * fit(positions[hit[2]]), -hit[2])
        )
        return positions[index], similarity

    def _starts(self, low: int, high: int, edges: _Edges) -> list[int]:
        text = self.text
        allowed = [i for i in range(low, min(high, len(text) - 1) + 1) if not text[i].isspace()]
        if edges.word_start:
            allowed = [
                i for i in allowed if i == 0 or not (text[i - 1].isalnum() and text[i].isalnum())
            ] or allowed
        if edges.alnum_first:
            allowed = [i for i in allowed if text[i].isalnum()] or allowed
        return allowed

    def _ends(self, low: int, high: int, edges: _Edges) -> list[int]:
        text = self.text
        allowed = [j for j in range(max(low, 1), high + 1) if not text[j - 1].isspace()]
        if edges.word_end:
            allowed = [
                j
                for j in allowed
                if j == len(text) or not (text[j - 1].isalnum() and text[j].isalnum())
            ] or allowed
        if edges.alnum_last:
            allowed = [j for j in allowed if text[j - 1].isalnum()] or allowed
        return allowed


@dataclass(frozen=True)
class _Edges:
    """Where a fuzzy span may begin and end, following how the quote itself does.

    A span never begins or ends on whitespace; it begins and ends on a word boundary when
    the quote did, on a letter or digit when the quote did, and stays inside one block
    (paragraph) when the quote had no line break. Each rule yields when no position
    within reach satisfies it.
    """

    word_start: bool
    word_end: bool
    alnum_first: bool
    alnum_last: bool
    one_block: bool

    @classmethod
    def of(cls, quote: str, prefix: str, suffix: str) -> _Edges:
        return cls(
            word_start=not (prefix[-1:].isalnum() and quote[:1].isalnum()),
            word_end=not (quote[-1:].isalnum() and suffix[:1].isalnum()),
            alnum_first=quote[:1].isalnum(),
            alnum_last=quote[-1:].isalnum(),
            one_block="\n" not in quote,
        )
