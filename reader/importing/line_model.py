"""A learned second opinion on the text rules' line decisions (issue 14 §4).

Each line of a text scrape gets boilerpipe's shallow text features
(Kohlschütter et al., WSDM 2010) for itself and its neighbours, plus what the
rules made of it; gradient-boosted trees (line_model.json, trained by
``python -m benchmarks.line_model --train``) give the probability that the
line is article text. The rules' decision stands unless the model is sure:
below VETO_BELOW a kept line is dropped, above RESCUE_ABOVE a dropped line is
kept, and the segment names the classifier and its confidence. Measured with
grouped cross-validation by source domain in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from pathlib import Path

from reader.importing.types import BODY, CAPTION, CHROME, Segment

MODEL_PATH = Path(__file__).with_name("line_model.json")
RULE = "line-classifier"
VETO_BELOW = 0.1
RESCUE_ABOVE = 0.9
# What the rules drop for a line's shape or place, not on sight as furniture.
RESCUABLE = frozenset({"navigation", "outside-main-text", "stray-short-line"})

TOKEN = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
LINKISH = re.compile(
    r"https?://|www\.|\.(?:com|org|net|co\.uk|html?|php)\b|@\w|[»›]|\b(?:click|tap) here\b",
    re.IGNORECASE,
)
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves said says also""".split()
)

LINE_FEATURES = (
    "words",
    "chars",
    "avg_word_len",
    "stop_ratio",
    "punct_ratio",
    "digit_ratio",
    "upper_ratio",
    "title_ratio",
    "sentence_end",
    "comma",
    "linkish",
    "repeated",
)
NEIGHBOURS = ("prev", "next")
FEATURES = (
    tuple(LINE_FEATURES)
    + tuple(f"{side}_{name}" for side in NEIGHBOURS for name in LINE_FEATURES)
    + ("prev2_words", "next2_words", "window_words", "position", "page_lines")
    + ("wide_window_share", "words_share", "words_before_share", "in_prose_span", "prose_distance")
)
# The rules' decision on a line, for the stacked model (d): kept, a metadata
# role, dropped by a furniture rule on sight, dropped for its shape or place.
RULE_FEATURES = ("rule_kept", "rule_metadata", "rule_furniture", "rule_shape", "rule_plain_body")


def line_features(text: str, repeated: bool) -> list[float]:
    tokens = TOKEN.findall(text)
    n = len(tokens)
    chars = len(text)
    visible = sum(1 for c in text if not c.isspace()) or 1
    letters = [c for c in text if c.isalpha()]
    cased = [t for t in tokens if t[0].isalpha()]
    return [
        float(n),
        float(chars),
        sum(len(t) for t in tokens) / n if n else 0.0,
        sum(1 for t in tokens if t.casefold() in STOP_WORDS) / n if n else 0.0,
        sum(1 for c in text if not c.isalnum() and not c.isspace()) / visible,
        sum(1 for c in text if c.isdigit()) / visible,
        sum(1 for c in letters if c.isupper()) / len(letters) if letters else 0.0,
        sum(1 for t in cased if t[0].isupper()) / len(cased) if cased else 0.0,
        1.0 if SENTENCE_END.search(text) else 0.0,
        float(text.count(",")),
        1.0 if LINKISH.search(text) else 0.0,
        1.0 if repeated else 0.0,
    ]


MISSING = [-1.0] * len(LINE_FEATURES)


def page_features(lines: list[str]) -> list[list[float]]:
    """One feature row per line (the pipeline's paragraphs, in order)."""
    norms = [" ".join(TOKEN.findall(line.casefold())) for line in lines]
    counts = Counter(norms)
    own = [
        line_features(line, bool(norm) and counts[norm] > 1)
        for line, norm in zip(lines, norms, strict=True)
    ]
    words = [row[0] for row in own]
    n = len(lines)
    total = sum(words) or 1.0
    top = max(words, default=0.0) or 1.0
    wide = [sum(words[max(0, i - 10) : i + 11]) for i in range(n)]
    wide_top = max(wide, default=0.0) or 1.0
    prose = [i for i, row in enumerate(own) if row[0] >= 15 and row[8]]
    before = 0.0
    rows = []
    for i in range(n):
        prev = own[i - 1] if i > 0 else MISSING
        nxt = own[i + 1] if i + 1 < n else MISSING
        window = sum(words[max(0, i - 3) : i + 4])
        rows.append(
            own[i]
            + prev
            + nxt
            + [
                words[i - 2] if i > 1 else -1.0,
                words[i + 2] if i + 2 < n else -1.0,
                window,
                i / max(1, n - 1),
                float(n),
                wide[i] / wide_top,
                words[i] / top,
                before / total,
                1.0 if prose and prose[0] <= i <= prose[-1] else 0.0,
                float(min(50, min((abs(i - j) for j in prose), default=50))),
            ]
        )
        before += words[i]
    return rows


def rule_features(segment: Segment) -> list[float]:
    kept = segment.role in (BODY, CAPTION)
    metadata = not kept and segment.role != CHROME
    shape = segment.role == CHROME and segment.rule in RESCUABLE
    furniture = segment.role == CHROME and not shape
    return [
        float(kept),
        float(metadata),
        float(furniture),
        float(shape),
        float(kept and not segment.rule),
    ]


def predict(model: dict, rows: list[list[float]]) -> list[float]:
    """Probability that each line is body: plain Python, as the import would run it."""
    out = []
    prior = model["prior"]
    trees = model["trees"]
    for row in rows:
        s = prior
        for tree in trees:
            t = 0
            for level in tree["splits"]:
                split = level[t]
                t = 2 * t + (split is not None and row[split[0]] > split[1])
            s += tree["leaves"][t]
        out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s)))))
    return out


@functools.cache
def load_model(path: Path = MODEL_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def review(lines: list[str], segments: list[Segment], model: dict | None = None) -> list[Segment]:
    """The rules' segments (one per line), changed where the classifier is sure."""
    if not segments or len(lines) != len(segments):
        return segments
    model = model if model is not None else load_model()
    rows = [row + rule_features(s) for row, s in zip(page_features(lines), segments, strict=True)]
    return decide(lines, segments, predict(model, rows))


def decide(lines: list[str], segments: list[Segment], probs: list[float]) -> list[Segment]:
    for segment, line, p in zip(segments, lines, probs, strict=True):
        if not TOKEN.search(line):
            continue  # a line without a word is left to the rules
        if segment.kept and p < VETO_BELOW:
            segment.role, segment.rule, segment.confidence = CHROME, RULE, round(1 - p, 3)
        elif segment.role == CHROME and p > RESCUE_ABOVE:
            segment.role, segment.rule, segment.confidence = BODY, RULE, round(p, 3)
    return segments
