"""The differences between two versions of an article's text, paragraph by paragraph."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

SAME, REMOVED, ADDED = "same", "removed", "added"
# Unchanged paragraphs shown around each change; longer runs are folded.
AROUND = 1


@dataclass(frozen=True)
class Line:
    kind: str  # SAME | REMOVED | ADDED, or "gap" for folded unchanged paragraphs
    text: str


def paragraph_diff(old: str, new: str) -> list[Line]:
    old_paras, new_paras = old.split("\n\n"), new.split("\n\n")
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for group in matcher.get_grouped_opcodes(AROUND):
        if lines:
            lines.append(Line("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(Line(SAME, p) for p in old_paras[i1:i2])
                continue
            lines.extend(Line(REMOVED, p) for p in old_paras[i1:i2])
            lines.extend(Line(ADDED, p) for p in new_paras[j1:j2])
    return lines
