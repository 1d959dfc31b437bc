"""Annotations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Export: an ``AnnotationCollection`` whose first (and only) ``AnnotationPage`` holds
every annotation the export filters select, streamed from the same query as the CSV.

Import: annotations whose target is an article here (by its source URL or its page
on this site) are placed on the article's text by the re-anchoring rules and created
for the importing user. Nothing is dropped silently: what is not imported is counted
in the :class:`ImportReport` with the reason.

Decisions a reader of a file should know:

- ``id`` is ``urn:uuid:<annotation uuid>``; an import keeps that id, and skips an
  annotation whose id is already here, so importing a file twice creates nothing the
  second time. Ids of other forms (another tool's URL) become a name-based UUID of
  that id, so they are idempotent too.
- Visibility is not part of the W3C model; it travels in the extension term
  ``visibility`` (``shared`` | ``private``) defined in the second ``@context`` entry.
  An annotation without it is imported as private: the importer shares it on purpose.
- A stance name that is not in the codebook is not created (staff curate the
  codebook); the annotation is imported without it and the report names it.
- An annotation that cannot be placed on the article's current text is not created;
  the report lists it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.dateparse import parse_datetime

from reader.models import Article

from . import export
from .anchoring import ORPHANED, context, reanchor
from .models import Annotation, AnnotationStance, Stance

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VISIBILITY_TERM = "urn:stance-reader:visibility"
DOCUMENT_CONTEXT = [CONTEXT, {"visibility": VISIBILITY_TERM}]
MEDIA_TYPE = "application/ld+json"
MAX_UPLOAD_BYTES = 5_000_000
UUID_URN = "urn:uuid:"
# Ids that are not urn:uuid (another tool's URLs) map to a stable UUID in this namespace.
FOREIGN_ID_NAMESPACE = uuid.UUID("6f1c1c84-2f0e-4e59-a8a4-1f1ad1b7c6d2")


class ImportError_(ValueError):
    """A file that cannot be imported at all; the message is shown to the person."""


# -- export -------------------------------------------------------------------------


def annotation_document(row: tuple, stance_names: list[str], article_url) -> dict[str, Any]:
    (pk, _article_id, _title, source_url, slug, _source, username, quote, prefix, suffix,
     start, end, note, visibility, _anchor_status, _stance, _published, created,
     updated) = row  # fmt: skip
    bodies: list[dict[str, Any]] = []
    if note:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"}
        )
    bodies.extend({"type": "TextualBody", "purpose": "tagging", "value": n} for n in stance_names)
    motivation = "commenting" if note else "tagging" if stance_names else "highlighting"
    document: dict[str, Any] = {
        "id": f"{UUID_URN}{export.uuid_text(pk)}",
        "type": "Annotation",
        "motivation": motivation,
        "creator": {"type": "Person", "nickname": username},
        "created": export.time_text(created),
        "modified": export.time_text(updated),
        "visibility": visibility,
    }
    if bodies:
        document["body"] = bodies
    document["target"] = {
        "source": article_url(source_url, slug),
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    return document


def collection_chunks(
    *, viewer, options: export.ExportOptions, base_url: str = "", collection_id: str = ""
) -> Iterator[bytes]:
    """The ``AnnotationCollection`` as UTF-8 chunks; ``total`` comes after the items,
    so the file streams from one query."""
    annotations = export.annotations_for(viewer=viewer, options=options)
    article_url = export.article_url_builder(base_url)
    head: dict[str, Any] = {"@context": DOCUMENT_CONTEXT}
    if collection_id:
        head["id"] = collection_id
    head |= {"type": "AnnotationCollection", "label": "Stance Reader annotations"}
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    parts = [opening, ',\n "first": {"type": "AnnotationPage", "startIndex": 0, "items": [']
    size = sum(map(len, parts))
    total = 0
    for row, names in export.grouped(export.joined_rows(annotations)):
        item = json.dumps(annotation_document(row, names, article_url), ensure_ascii=False)
        parts.append(("\n  " if total == 0 else ",\n  ") + item)
        size += len(item) + 4
        total += 1
        if size >= export.FLUSH_CHARS:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    parts.append(f'\n ]}},\n "total": {total}\n}}\n')
    yield "".join(parts).encode("utf-8")


# -- import -------------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    moved: int = 0
    already_present: int = 0
    unplaced: list[str] = field(default_factory=list)
    no_article: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    unknown_stances: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{self.created} annotation{'s' if self.created != 1 else ''} imported"]
        if self.moved:
            parts.append(f"{self.moved} of them placed where the quote now is")
        if self.already_present:
            parts.append(f"{self.already_present} already here (skipped)")
        if self.unplaced:
            parts.append(f"{len(self.unplaced)} could not be placed on the article's text")
        if self.no_article:
            parts.append(f"{sum(self.no_article.values())} for articles not in Stance Reader")
        if self.problems:
            parts.append(f"{len(self.problems)} not understood")
        if self.unknown_stances:
            parts.append(f"unknown stances left off: {', '.join(sorted(self.unknown_stances))}")
        return "; ".join(parts) + "."

    def details(self, limit: int | None = None) -> list[str]:
        lines = [f"Not placed: {line}" for line in self.unplaced]
        lines += [f"No article for {url} ({n})" for url, n in sorted(self.no_article.items())]
        lines += [f"Not understood: {line}" for line in self.problems]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"… and {len(lines) - limit} more."]
        return lines


def parse_document(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportError_(f"This is not a JSON file ({error}).") from error


def annotation_items(document: Any) -> list[Any]:
    """The annotations of a collection, a page, a list, or a single annotation."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise ImportError_("Expected a Web Annotation, AnnotationPage or AnnotationCollection.")
    kinds = _as_list(document.get("type"))
    if "AnnotationCollection" in kinds:
        first = document.get("first")
        if isinstance(first, str):
            raise ImportError_(
                "The collection's pages are only linked, not included; download them into one file."
            )
        return annotation_items(first or {"type": "AnnotationPage", "items": []})
    if "AnnotationPage" in kinds:
        items = document.get("items", [])
        if not isinstance(items, list):
            raise ImportError_("The page's “items” is not a list.")
        return items
    if "Annotation" in kinds:
        return [document]
    raise ImportError_("Expected a Web Annotation, AnnotationPage or AnnotationCollection.")


@dataclass(frozen=True)
class _Parsed:
    id: uuid.UUID
    label: str
    source: str
    start: int | None
    end: int | None
    quote: str
    prefix: str
    suffix: str
    note: str
    stance_names: list[str]
    creator: str
    created: dt.datetime | None
    modified: dt.datetime | None
    visibility: str


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _parse(item: Any, index: int) -> _Parsed:
    if not isinstance(item, dict):
        raise ValueError(f"item {index + 1} is not an object")
    raw_id = item.get("id") or item.get("@id")
    label = f"item {index + 1}" + (f" ({raw_id})" if raw_id else "")
    target = next((t for t in _as_list(item.get("target")) if isinstance(t, dict | str)), None)
    if target is None:
        raise ValueError(f"{label} has no target")
    source = target if isinstance(target, str) else target.get("source") or target.get("id") or ""
    if not isinstance(source, str) or not source:
        raise ValueError(f"{label} has no target source")
    selectors = _as_list(target.get("selector")) if isinstance(target, dict) else []
    quote_selector = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), {}
    )
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"),
        {},
    )
    start, end = position.get("start"), position.get("end")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        start = end = None
    quote = quote_selector.get("exact") or ""
    if not isinstance(quote, str) or (not quote and start is None):
        raise ValueError(f"{label} has neither a TextQuoteSelector nor a TextPositionSelector")
    notes: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    stance_names: list[str] = []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = _as_list(body.get("purpose"))
        if "tagging" in purposes or "classifying" in purposes:
            stance_names.append(body["value"].strip())
        else:
            notes.append(body["value"])
    return _Parsed(
        id=_annotation_id(raw_id, item),
        label=label,
        source=source,
        start=start,
        end=end,
        quote=quote,
        prefix=_text(quote_selector.get("prefix")),
        suffix=_text(quote_selector.get("suffix")),
        note="\n\n".join(notes),
        stance_names=[n for n in stance_names if n],
        creator=_creator_name(item.get("creator")),
        created=_datetime(item.get("created")),
        modified=_datetime(item.get("modified")),
        visibility=(
            item["visibility"]
            if item.get("visibility") in Annotation.Visibility.values
            else Annotation.Visibility.PRIVATE
        ),
    )


def _annotation_id(raw_id: Any, item: dict) -> uuid.UUID:
    if isinstance(raw_id, str) and raw_id.lower().startswith(UUID_URN):
        try:
            return uuid.UUID(raw_id[len(UUID_URN) :])
        except ValueError:
            pass
    if isinstance(raw_id, str) and raw_id:
        return uuid.uuid5(FOREIGN_ID_NAMESPACE, raw_id)
    # No id at all: the annotation's own content names it, so a re-import matches.
    return uuid.uuid5(FOREIGN_ID_NAMESPACE, json.dumps(item, sort_keys=True, ensure_ascii=False))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _creator_name(creator: Any) -> str:
    for candidate in _as_list(creator):
        if isinstance(candidate, str):
            return candidate
        if isinstance(candidate, dict):
            for key in ("nickname", "name", "id"):
                if isinstance(candidate.get(key), str) and candidate[key]:
                    return candidate[key]
    return ""


def _datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class _ArticleFinder:
    """Which article a target source names: its source URL or its page here."""

    def __init__(self, base_url: str) -> None:
        self.host = urlsplit(base_url).netloc
        self.cache: dict[str, Article | None] = {}

    def __call__(self, source: str) -> Article | None:
        if source not in self.cache:
            self.cache[source] = self._find(source)
        return self.cache[source]

    def _find(self, source: str) -> Article | None:
        article = Article.objects.filter(source_url=source).first()
        if article is not None:
            return article
        parts = urlsplit(source)
        if parts.netloc and self.host and parts.netloc != self.host:
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        if match.view_name != "reader:article_detail":
            return None
        return Article.objects.filter(slug=match.kwargs["slug"]).first()


@transaction.atomic
def import_collection(
    document: Any, *, importer, keep_authors: bool = False, base_url: str = ""
) -> ImportReport:
    """Create the annotations of ``document`` that fit articles here; report the rest.

    ``base_url`` is this site's scheme and host; a target on another host is only
    matched by the article's source URL. Without it, any host's reading-page path
    matches.
    """
    if keep_authors and not getattr(importer, "is_staff", False):
        raise ImportError_("Only staff can import annotations under their authors' names.")
    report = ImportReport()
    items = annotation_items(document)
    parsed: list[_Parsed] = []
    for index, item in enumerate(items):
        try:
            parsed.append(_parse(item, index))
        except ValueError as error:
            report.problems.append(str(error))
    present = _existing_ids([p.id for p in parsed])
    find_article = _ArticleFinder(base_url)
    stances = {s.name: s for s in Stance.objects.all()}
    stances_folded = {name.casefold(): s for name, s in stances.items()}
    users: dict[str, Any] = {}
    for entry in parsed:
        if entry.id in present:
            report.already_present += 1
            continue
        article = find_article(entry.source)
        if article is None:
            report.no_article[entry.source] += 1
            continue
        owner = importer
        if keep_authors:
            owner = _user_named(entry.creator, users)
            if owner is None:
                report.problems.append(
                    f"{entry.label}: no user named “{entry.creator}” to keep as its author"
                )
                continue
        placed = _place(article.text, entry)
        if placed is None:
            report.unplaced.append(
                f"{entry.label} on “{article.title}”: “{_shorten(entry.quote)}” is not in the text"
            )
            continue
        start, end, status = placed
        chosen = []
        for name in dict.fromkeys(entry.stance_names):
            stance = stances.get(name) or stances_folded.get(name.casefold())
            if stance is None:
                report.unknown_stances[name] += 1
            else:
                chosen.append(stance)
        prefix, suffix = context(article.text, start, end)
        annotation = Annotation.objects.create(
            id=entry.id,
            article=article,
            user=owner,
            start=start,
            end=end,
            quote=article.text[start:end],
            prefix=prefix,
            suffix=suffix,
            note=entry.note[: Annotation._meta.get_field("note").max_length],
            visibility=entry.visibility,
            anchor_status=status,
        )
        AnnotationStance.objects.bulk_create(
            [
                AnnotationStance(annotation=annotation, stance=s)
                for s in {s.pk: s for s in chosen}.values()
            ]
        )
        # The file's times are the annotation's history; keep them rather than "now".
        times = {k: v for k, v in (("created", entry.created), ("updated", entry.modified)) if v}
        if times:
            Annotation.objects.filter(pk=annotation.pk).update(**times)
        present.add(entry.id)
        report.created += 1
        report.moved += status == Annotation.AnchorStatus.MOVED
        report.articles[article.title] += 1
    return report


def _existing_ids(ids: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), 500):
        found.update(
            Annotation.objects.filter(pk__in=ids[start : start + 500]).values_list("pk", flat=True)
        )
    return found


def _user_named(name: str, cache: dict[str, Any]) -> Any:
    if name not in cache:
        cache[name] = get_user_model().objects.filter(username=name).first() if name else None
    return cache[name]


def _place(text: str, entry: _Parsed) -> tuple[int, int, str] | None:
    if not entry.quote:
        # Only a position: trust it when it is a span of this text.
        assert entry.start is not None and entry.end is not None
        if 0 <= entry.start < entry.end <= len(text):
            return entry.start, entry.end, Annotation.AnchorStatus.ANCHORED
        return None
    anchor = reanchor(
        text,
        start=entry.start if entry.start is not None else -1,
        end=entry.end if entry.end is not None else -1,
        quote=entry.quote,
        prefix=entry.prefix,
        suffix=entry.suffix,
    )
    if anchor.status == ORPHANED or anchor.start >= anchor.end:
        return None
    return anchor.start, anchor.end, anchor.status


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
