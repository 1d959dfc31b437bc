"""The codebook's frozen form: what one version of a project's stances looked like.

Plain functions over objects with the stance attributes, so the data migration can use
them on historical models too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

STANCE_FIELDS = (
    "name",
    "description",
    "colour",
    "hotkey",
    "order",
    "active",
    "definition",
    "when_to_use",
    "example",
    "counter_example",
)


def snapshot(stances: Iterable[Any]) -> dict:
    """The JSON stored on a codebook version: every stance, retired ones included."""
    return {
        "stances": [
            {"id": stance.pk, **{field: getattr(stance, field) for field in STANCE_FIELDS}}
            for stance in sorted(stances, key=lambda s: (s.order, s.name))
        ]
    }


def names_by_id(data: dict) -> dict[int, str]:
    return {entry["id"]: entry["name"] for entry in data.get("stances", [])}


def describe_changes(before: dict, after: dict) -> str:
    """A person's summary of what changed between two snapshots ("" when nothing did)."""
    old = {entry["id"]: entry for entry in before.get("stances", [])}
    new = {entry["id"]: entry for entry in after.get("stances", [])}
    changes: list[str] = []
    for pk, entry in new.items():
        was = old.get(pk)
        if was is None:
            changes.append(f"added {entry['name']!r}")
            continue
        if was["name"] != entry["name"]:
            changes.append(f"renamed {was['name']!r} to {entry['name']!r}")
        if was.get("active") and not entry.get("active"):
            changes.append(f"retired {entry['name']!r}")
        elif not was.get("active") and entry.get("active"):
            changes.append(f"restored {entry['name']!r}")
        edited = [
            field
            for field in STANCE_FIELDS
            if field not in ("name", "active") and was.get(field) != entry.get(field)
        ]
        if edited:
            changes.append(f"changed {', '.join(edited)} of {entry['name']!r}")
    changes.extend(f"removed {entry['name']!r}" for pk, entry in old.items() if pk not in new)
    return "; ".join(changes)
