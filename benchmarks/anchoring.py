"""Time reanchor_many: 1,000 annotations on a ~10,000-character article.

Run from the project root:  .venv/bin/python -m benchmarks.anchoring

Scenarios: (a) the text unchanged, (b) a paragraph inserted near the start,
(c) 10% of the sentences reworded (one word replaced and one deleted in each).
"""

from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections import Counter
from pathlib import Path

from annotations.anchoring import context, reanchor_many

SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH_ARTICLE = SHARED / "extraction-bench/dev/ground-truth.json"
BENCH_KEY = "fundus-za-DailyMaverick_2025_05_22"
SAMPLE = SHARED / "samples/000_cec687c1fc65c03c.expected.json"
ANNOTATIONS = 1000
REPEATS = 3
SENTENCE_END = re.compile(r"(?<=[.!?”])\s+")
WORD = re.compile(r"\S+")


def article_text() -> str:
    if BENCH_ARTICLE.exists():
        return json.loads(BENCH_ARTICLE.read_text(encoding="utf-8"))[BENCH_KEY]["articleBody"]
    paragraphs = json.loads(SAMPLE.read_text(encoding="utf-8"))["body_paragraphs"]
    return "\n\n".join(paragraphs * 5)


def random_selectors(text: str, count: int, rng: random.Random) -> list[dict[str, object]]:
    """Word-aligned spans of 2–30 words inside one paragraph, like highlighted claims."""
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    selectors = []
    while len(selectors) < count:
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randint(1, 29))
        start, end = words[first][0], words[last][1]
        if "\n" in text[start:end]:
            end = start + text[start:end].index("\n")
        prefix, suffix = context(text, start, end)
        selectors.append(
            {
                "start": start,
                "end": end,
                "quote": text[start:end],
                "prefix": prefix,
                "suffix": suffix,
            }
        )
    return selectors


def insert_near_start(text: str) -> str:
    first_break = text.index("\n\n")
    added = "\n\nThis paragraph was added by the editors after publication to give context."
    return text[:first_break] + added + text[first_break:]


def reword_sentences(text: str, share: float, rng: random.Random) -> str:
    sentences = SENTENCE_END.split(text)
    separators = SENTENCE_END.findall(text)
    for index in rng.sample(range(len(sentences)), round(len(sentences) * share)):
        words = sentences[index].split(" ")
        if len(words) < 4:
            continue
        replaced, deleted = rng.sample(range(1, len(words)), 2)
        words[replaced] = rng.choice(["reportedly", "however", "officials", "significant"])
        del words[deleted]
        sentences[index] = " ".join(words)
    return "".join(s + sep for s, sep in zip(sentences, separators + [""], strict=True))


def measure(name: str, text: str, selectors: list[dict[str, object]]) -> None:
    timings = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        anchors = reanchor_many(text, selectors)
        timings.append(time.perf_counter() - began)
    total_ms = statistics.median(timings) * 1000
    statuses = Counter(
        "fuzzy" if anchor.status == "moved" and anchor.score < 1.0 else anchor.status
        for anchor in anchors
    )
    print(
        f"{name:<28} total {total_ms:7.1f} ms  {total_ms / len(selectors):6.3f} ms/annotation  "
        + ", ".join(
            f"{label} {statuses[status]}"
            for label, status in (
                ("anchored", "anchored"),
                ("moved exact", "moved"),
                ("moved fuzzy", "fuzzy"),
                ("orphaned", "orphaned"),
            )
        )
    )


def main() -> None:
    rng = random.Random(20140121)
    text = article_text()
    selectors = random_selectors(text, ANNOTATIONS, rng)
    print(f"{ANNOTATIONS} annotations on a {len(text):,}-character text, median of {REPEATS} runs")
    measure("(a) unchanged", text, selectors)
    measure("(b) insertion near start", insert_near_start(text), selectors)
    measure("(c) 10% sentences reworded", reword_sentences(text, 0.10, rng), selectors)


if __name__ == "__main__":
    main()
