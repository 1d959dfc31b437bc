"""Annotation files in: W3C Web Annotations (JSON-LD) and Hypothesis's API JSON.

Accepted shapes: an ``AnnotationCollection`` with its first page embedded, an
``AnnotationPage``, a list, one annotation; Hypothesis's search response
(``{"total": N, "rows": [...]}``, as ``GET /api/search`` and its export tools give it)
and single Hypothesis annotations. Each item becomes an :class:`Entry`; then, outside
any transaction, each entry is matched to an article and placed on its text; only
then are the annotations written, in short transactions of :data:`BATCH` rows, so a
long import never holds SQLite's write lock for long. Nothing is dropped silently:
the :class:`ImportReport` counts and names what was not imported and why.

Decisions a reader of a file should know:

- Only articles of the projects the importer may annotate in are found (the others
  answer as if they did not exist), and tags become stances of the codebook of the
  article's own project: each project has its own "Russia".
- An article is found by its address, compared as :func:`address_key` normalises it
  (scheme, host case, ``www.``, trailing slash, fragments and tracking parameters do
  not matter), trying the target's source, Hypothesis's ``uri`` and the document's
  ``link`` alternates; or by its reading page on this site.
- Ids: ``urn:uuid:<uuid>`` is kept; another tool's id (a Hypothesis id, a URL)
  becomes a name-based UUID of it, so importing a file twice creates nothing the
  second time. Only the importer's own annotations count as "already here"; an id
  that is taken by someone else's annotation gives the import a new id (derived from
  the importer and the id, so a re-import finds it) and the report lists the mapping.
- ``created``/``modified`` (Hypothesis: ``updated``) are kept as data in
  ``source_created``/``source_modified``; the row's own clock is the server's. A date
  in the future is refused, as it could only be a mistake or a trick.
- Visibility: the ``visibility`` extension term of our own files; Hypothesis's
  ``permissions.read`` (a group → shared; only the user → private). Without either,
  private: the importer shares on purpose.
- Tags (Hypothesis ``tags``, W3C tagging bodies) are stance names, compared without
  regard to case, or mapped by ``tag_map``; unknown ones are reported and either left
  off or, with ``tags_in_note``, written into the note as "Tags: …". The codebook is
  not extended by an import (it is curated).
- Hypothesis replies (``references``) are counted and skipped: they are
  conversation, not claims about the text.
- A quote that spans two paragraphs of its page is placed across two blocks here:
  whitespace between the words does not matter for an exact match (a web page's
  paragraph break is a newline, a space or nothing, depending on its markup). The
  one-block rule of the fuzzy step stays: a similar-looking passage that is not the
  quote is more likely across a paragraph break than a real edit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from projects.models import Project, Role
from projects.permissions import member_project_ids
from reader.models import Article

from .anchoring import ANCHORED, FUZZY_THRESHOLD, MOVED, ORPHANED, _Document, context
from .models import NOTE_MAX_LENGTH, Annotation, AnnotationStance, Stance

UUID_URN = "urn:uuid:"
# Ids that are not urn:uuid (another tool's) map to a stable UUID in this namespace.
FOREIGN_ID_NAMESPACE = uuid.UUID("6f1c1c84-2f0e-4e59-a8a4-1f1ad1b7c6d2")
# An id taken by another person's annotation becomes one in this namespace, per importer.
RENAMED_ID_NAMESPACE = uuid.UUID("0d9a4f0e-9a57-4e1b-9d3c-5d0b8a3e6f21")
MAX_UPLOAD_BYTES = 5_000_000
BATCH = 100
# A batch also ends when it has held the write lock this long (a loaded machine is slow).
BATCH_SECONDS = 0.2
# SQLite keeps no queue for its write lock: a save that waits polls for it, every 100 ms
# once it has waited a while, and a loop that commits and begins again at once takes it
# back before the poll comes (a save then waited out a whole 1,400-row import). A pause
# longer than one poll between batches lets a waiting save in.
SQLITE_WRITER_GAP = 0.12
# Clocks disagree a little; a file's date further ahead than this is refused.
FUTURE_SLACK = dt.timedelta(minutes=10)
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
     "mc_eid", "_ga", "_gl", "twclid", "ttclid", "li_fat_id", "ocid", "cmpid", "at_medium",
     "at_campaign", "ref_src", "s_cid", "sr_share"}
)  # fmt: skip


class ImportError_(ValueError):
    """A file that cannot be imported at all; the message is shown to the person."""


@dataclass(frozen=True)
class Limits:
    """What one web request may import; a bigger file goes to ``manage.py
    import_annotations``, which has no limits and shows its progress."""

    items: int = 2_000
    quote_chars: int = 2_000
    total_chars: int = 400_000


WEB_LIMITS = Limits()


# -- the report ---------------------------------------------------------------------


@dataclass
class ImportReport:
    created: int = 0
    moved: int = 0
    already_present: int = 0
    stances_added: int = 0
    fuzzy: list[tuple[str, float]] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    no_article: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    unknown_stances: Counter[str] = field(default_factory=Counter)
    replies: int = 0
    renamed: dict[str, str] = field(default_factory=dict)
    articles: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        parts = [f"{self.created} annotation{'s' if self.created != 1 else ''} imported"]
        if self.moved:
            parts.append(f"{self.moved} of them placed where the quote now is")
        if self.fuzzy:
            parts.append(f"{len(self.fuzzy)} placed by a similar passage")
        if self.already_present:
            parts.append(f"{self.already_present} already here (skipped)")
        if self.stances_added:
            parts.append(f"{self.stances_added} stances added to annotations already here")
        if self.unplaced:
            parts.append(f"{len(self.unplaced)} could not be placed on the article's text")
        if self.no_article:
            parts.append(f"{sum(self.no_article.values())} for articles not in Stance Reader")
        if self.replies:
            parts.append(f"{self.replies} repl{'ies' if self.replies != 1 else 'y'} skipped")
        if self.renamed:
            parts.append(f"{len(self.renamed)} given a new id")
        if self.problems:
            parts.append(f"{len(self.problems)} not understood")
        if self.unknown_stances:
            parts.append(f"unknown stances left off: {', '.join(sorted(self.unknown_stances))}")
        return "; ".join(parts) + "."

    def details(self, limit: int | None = None) -> list[str]:
        lines = [f"Placed by similarity {score:.0%}: {label}" for label, score in self.fuzzy]
        lines += [f"Not placed: {line}" for line in self.unplaced]
        lines += [f"No article for {url} ({n})" for url, n in sorted(self.no_article.items())]
        lines += [f"New id for {old}: {new}" for old, new in self.renamed.items()]
        lines += [f"Not understood: {line}" for line in self.problems]
        if limit is not None and len(lines) > limit:
            lines = lines[:limit] + [f"… and {len(lines) - limit} more."]
        return lines

    @property
    def missing_pages(self) -> list[str]:
        """The pages to offer for fetching: one address per page (as :func:`address_key`
        compares them; https preferred, else the file's first spelling), without its
        fragment or tracking parameters; nothing for what is not a web address."""
        pages: dict[str, str] = {}
        for url in self.no_article:
            address = fetchable_address(url)
            if address is None:
                continue
            key = address_key(address)
            if key not in pages or (
                address.startswith("https:") and not pages[key].startswith("https:")
            ):
                pages[key] = address
        return sorted(pages.values())


# -- reading a file -----------------------------------------------------------------


def parse_document(raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except RecursionError as error:
        raise ImportError_("This file is nested too deeply to be an annotation file.") from error
    except (UnicodeDecodeError, ValueError) as error:
        # ValueError includes json's decode errors and integers of more than 4,300 digits.
        raise ImportError_(
            f"This is not a JSON file we can read ({_shorten(str(error), 120)})."
        ) from error


def annotation_items(document: Any) -> list[Any]:
    """The annotations of a collection, a page, a list, a Hypothesis search response,
    or a single annotation."""
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        raise ImportError_("Expected a Web Annotation, AnnotationPage or AnnotationCollection.")
    if isinstance(document.get("rows"), list) and "type" not in document:
        return document["rows"]
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
    if "Annotation" in kinds or _is_hypothesis(document):
        return [document]
    raise ImportError_(
        "Expected a Web Annotation (collection, page or annotation) or Hypothesis annotations."
    )


def _is_hypothesis(item: dict) -> bool:
    return "type" not in item and ("uri" in item or "permissions" in item or "references" in item)


@dataclass(frozen=True)
class Entry:
    """One annotation of a file, as this site will read it."""

    id: uuid.UUID
    raw_id: str
    label: str
    sources: tuple[str, ...]
    start: int | None
    end: int | None
    quote: str
    prefix: str
    suffix: str
    note: str
    tags: tuple[str, ...]
    creator: str
    created: dt.datetime | None
    modified: dt.datetime | None
    visibility: str
    reply: bool = False
    # Hypothesis's positions count the characters of the whole web page, never of our
    # canonical text: finding the quote elsewhere is not a move.
    position_is_hint: bool = False


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def read_entry(item: Any, index: int, *, now: dt.datetime | None = None) -> Entry:
    """The entry of one item; a ``ValueError`` says what is wrong with it."""
    if not isinstance(item, dict):
        raise ValueError(f"item {index + 1} is not an object")
    entry = _hypothesis_entry(item, index) if _is_hypothesis(item) else _w3c_entry(item, index)
    limit = (now or timezone.now()) + FUTURE_SLACK
    for name, value in (("created", entry.created), ("modified", entry.modified)):
        if value is not None and value > limit:
            raise ValueError(
                f"{entry.label}: its “{name}” date {value.isoformat()} is in the future; "
                "correct the file's dates"
            )
    return entry


def _label(index: int, raw_id: Any) -> str:
    shown = _shorten(raw_id, 80) if isinstance(raw_id, str) and raw_id else ""
    return f"item {index + 1}" + (f" ({shown})" if shown else "")


def _selectors(target: Any, label: str) -> tuple[int | None, int | None, str, str, str]:
    selectors = _as_list(target.get("selector")) if isinstance(target, dict) else []
    quote = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), {}
    )
    position = next(
        (s for s in selectors if isinstance(s, dict) and s.get("type") == "TextPositionSelector"),
        {},
    )
    start, end = position.get("start"), position.get("end")
    if not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**31 for v in (start, end)
    ):
        start = end = None
    exact = quote.get("exact") or ""
    if not isinstance(exact, str) or (not exact and start is None):
        raise ValueError(f"{label} has neither a TextQuoteSelector nor a TextPositionSelector")
    return start, end, exact, _text(quote.get("prefix")), _text(quote.get("suffix"))


def _w3c_entry(item: dict, index: int) -> Entry:
    raw_id = item.get("id") or item.get("@id")
    label = _label(index, raw_id)
    if item.get("layer") == "gold":
        # A study's settled version belongs to its project, not to whoever imports it.
        raise ValueError(f"{label} is a gold (adjudicated) annotation: gold is not imported")
    target = next((t for t in _as_list(item.get("target")) if isinstance(t, dict | str)), None)
    if target is None:
        raise ValueError(f"{label} has no target")
    source = target if isinstance(target, str) else target.get("source") or target.get("id") or ""
    if not isinstance(source, str) or not source:
        raise ValueError(f"{label} has no target source")
    start, end, quote, prefix, suffix = _selectors(target, label)
    notes: list[str] = []
    if isinstance(item.get("bodyValue"), str):
        notes.append(item["bodyValue"])
    tags: list[str] = []
    for body in _as_list(item.get("body")):
        if not isinstance(body, dict) or not isinstance(body.get("value"), str):
            continue
        purposes = _as_list(body.get("purpose"))
        if "tagging" in purposes or "classifying" in purposes:
            tags.append(body["value"].strip())
        else:
            notes.append(body["value"])
    return Entry(
        id=_annotation_id(raw_id, item),
        raw_id=raw_id if isinstance(raw_id, str) else "",
        label=label,
        sources=(source,),
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        note="\n\n".join(notes),
        tags=tuple(t for t in tags if t),
        creator=_creator_name(item.get("creator")),
        created=_datetime(item.get("created")),
        modified=_datetime(item.get("modified")),
        visibility=(
            item["visibility"]
            if item.get("visibility") in Annotation.Visibility.values
            else Annotation.Visibility.PRIVATE
        ),
    )


def _hypothesis_entry(item: dict, index: int) -> Entry:
    """A row of Hypothesis's API (https://h.readthedocs.io/en/latest/api-reference/)."""
    raw_id = item.get("id")
    label = _label(index, raw_id)
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict)]
    sources: list[str] = []
    for candidate in (
        *(t.get("source") for t in targets),
        item.get("uri"),
        *(link.get("href") for link in _document_links(item.get("document"))),
    ):
        if isinstance(candidate, str) and candidate and candidate not in sources:
            sources.append(candidate)
    if not sources:
        raise ValueError(f"{label} has no page address (uri or target source)")
    references = item.get("references")
    reply = isinstance(references, list) and bool(references)
    if reply or not targets or not any(t.get("selector") for t in targets):
        # A reply, or a page note (no selector): nothing on the text to point at.
        start = end = None
        quote = prefix = suffix = ""
        if not reply:
            raise ValueError(
                f"{label} is a page note without a quote; only highlights are imported"
            )
    else:
        start, end, quote, prefix, suffix = _selectors(
            next(t for t in targets if t.get("selector")), label
        )
    tags = tuple(t.strip() for t in _as_list(item.get("tags")) if isinstance(t, str) and t.strip())
    user = _text(item.get("user"))
    creator = user.removeprefix("acct:").split("@", 1)[0] if user else ""
    return Entry(
        id=_annotation_id(raw_id, item),
        raw_id=raw_id if isinstance(raw_id, str) else "",
        label=label,
        sources=tuple(sources),
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        note=_text(item.get("text")),
        tags=tags,
        creator=creator,
        created=_datetime(item.get("created")),
        modified=_datetime(item.get("updated")),
        visibility=_hypothesis_visibility(item.get("permissions")),
        reply=reply,
        position_is_hint=True,
    )


def _document_links(document: Any) -> list[dict]:
    if not isinstance(document, dict):
        return []
    return [link for link in _as_list(document.get("link")) if isinstance(link, dict)]


def _hypothesis_visibility(permissions: Any) -> str:
    readers = permissions.get("read") if isinstance(permissions, dict) else None
    if any(isinstance(r, str) and r.startswith("group:") for r in _as_list(readers)):
        return Annotation.Visibility.SHARED
    return Annotation.Visibility.PRIVATE


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


def renamed_id(importer_pk: int, original: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(RENAMED_ID_NAMESPACE, f"{importer_pk}:{original}")


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


# -- finding the article ------------------------------------------------------------


def address_key(url: str) -> str:
    """A page's address as compared here: no scheme, host in lower case without
    ``www.``, no trailing slash, no fragment (``#annotations:…`` included), no
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``…), the rest of the query
    sorted. Raises ``ValueError`` for an address that cannot be parsed."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url.strip()
    host = (parts.hostname or "").removeprefix("www.")
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(_untracked_query(parts.query))
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{urlencode(query)}" if query else "")


def _untracked_query(query: str) -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS
    ]


def fetchable_address(url: str) -> str | None:
    """Where to fetch the page an annotation names: an http(s) address without its
    fragment (Hypothesis's ``#annotations:…`` included) and tracking parameters, so the
    article stored is the page, not a spelling of it; None for anything else."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a port that is not one)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = urlencode(_untracked_query(parts.query))
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


class ArticleFinder:
    """Which article an address names: its source URL or its page here."""

    def __init__(self, base_url: str, articles=None) -> None:
        self.host = urlsplit(base_url).netloc
        self.articles = articles if articles is not None else Article.objects.all()
        self.cache: dict[str, int | None] = {}
        self._by_key: dict[str, int] | None = None

    def by_key(self) -> dict[str, int]:
        if self._by_key is None:
            self._by_key = {}
            for pk, url in self.articles.exclude(source_url=None).values_list("pk", "source_url"):
                try:
                    self._by_key.setdefault(address_key(url), pk)
                except ValueError:
                    continue
        return self._by_key

    def __call__(self, sources: Iterable[str]) -> int | None:
        for source in sources:
            if source not in self.cache:
                self.cache[source] = self._find(source)
            if self.cache[source] is not None:
                return self.cache[source]
        return None

    def _find(self, source: str) -> int | None:
        try:
            key = address_key(source)
            parts = urlsplit(source)
        except ValueError:
            return None
        if key in self.by_key():
            return self.by_key()[key]
        if parts.netloc and self.host and parts.netloc != self.host:
            return None
        try:
            match = resolve(parts.path)
        except Resolver404:
            return None
        # The reading page, at its address in a project or at the one of before projects.
        if match.view_name not in ("reader:article_detail", "legacy:article"):
            return None
        return self.articles.filter(slug=match.kwargs["slug"]).values_list("pk", flat=True).first()


# -- placing a quote ----------------------------------------------------------------

_SPACE = re.compile(r"\s+")


class _Text:
    """An article's text with what placing many quotes on it can share."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.document = _Document(text)
        self._squeezed: tuple[str, list[int]] | None = None

    def squeezed(self) -> tuple[str, list[int]]:
        """The text without whitespace, and where each of its characters came from."""
        if self._squeezed is None:
            keep = [i for i, c in enumerate(self.text) if not c.isspace()]
            self._squeezed = ("".join(self.text[i] for i in keep), keep)
        return self._squeezed

    def place(self, entry: Entry) -> tuple[int, int, str, float] | None:
        placed = self._place(entry)
        if placed is not None and placed[2] == MOVED and entry.position_is_hint:
            return placed[0], placed[1], ANCHORED, placed[3]
        return placed

    def _place(self, entry: Entry) -> tuple[int, int, str, float] | None:
        text = self.text
        if not entry.quote:
            # Only a position: trust it when it is a span of this text.
            assert entry.start is not None and entry.end is not None
            if 0 <= entry.start < entry.end <= len(text):
                return entry.start, entry.end, ANCHORED, 1.0
            return None
        start = entry.start if entry.start is not None else -1
        end = entry.end if entry.end is not None else -1
        quote = entry.quote
        if quote in text:
            anchor = self.document.reanchor(start, end, quote, entry.prefix, entry.suffix, 1.0)
            return anchor.start, anchor.end, anchor.status, 1.0
        spaced = self._ignoring_space(quote)
        if spaced is not None:
            return (*spaced, MOVED, 1.0)
        anchor = self.document.reanchor(
            start, end, quote, entry.prefix, entry.suffix, FUZZY_THRESHOLD
        )
        if anchor.status == ORPHANED or anchor.start >= anchor.end:
            return None
        return anchor.start, anchor.end, anchor.status, anchor.score

    def _ignoring_space(self, quote: str) -> tuple[int, int] | None:
        needle = _SPACE.sub("", quote)
        if len(needle) < 12:
            return None
        squeezed, origin = self.squeezed()
        at = squeezed.find(needle)
        if at == -1 or squeezed.find(needle, at + 1) != -1:
            return None
        return origin[at], origin[at + len(needle) - 1] + 1


# -- the import ---------------------------------------------------------------------


@dataclass
class _Planned:
    entry: Entry
    id: uuid.UUID
    article_id: int
    owner: Any
    start: int
    end: int
    status: str
    stance_ids: list[int]
    note: str
    text: str
    title: str
    score: float  # 1.0 for an exact match


def parse_tag_map(lines: Iterable[str]) -> dict[str, str]:
    """``tag=Stance name`` lines as a mapping of folded tags to stance names."""
    mapping: dict[str, str] = {}
    for line in lines:
        line = line.strip()
        if not line:
            continue
        tag, sep, stance = line.partition("=")
        if not sep or not tag.strip() or not stance.strip():
            raise ImportError_(f"“{_shorten(line, 60)}” is not of the form tag=Stance.")
        mapping[tag.strip().casefold()] = stance.strip()
    return mapping


def import_collection(
    document: Any,
    *,
    importer,
    keep_authors: bool = False,
    base_url: str = "",
    tag_map: Mapping[str, str] | None = None,
    tags_in_note: bool = False,
    limits: Limits | None = None,
    hourly_quota: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    project: Project | None = None,
) -> ImportReport:
    """Create the annotations of ``document`` that fit articles here; report the rest.

    Articles are looked for in the projects where the importer annotates (only in
    ``project`` when one is named: an upload made in a project, or ``--project``); tags
    become stances of the codebook of the article's own project.

    ``base_url`` is this site's scheme and host; a target on another host is only
    matched by the article's source URL. ``limits`` and ``hourly_quota`` bound what
    one web request may do (the command passes neither); ``progress(done, total)``
    is called after each written batch.
    """
    if keep_authors and not getattr(importer, "is_staff", False):
        raise ImportError_("Only staff can import annotations under their authors' names.")
    items = annotation_items(document)
    report = ImportReport()
    now = timezone.now()
    entries: list[Entry] = []
    for index, item in enumerate(items):
        try:
            entry = read_entry(item, index, now=now)
        except ValueError as error:
            report.problems.append(str(error))
            continue
        if entry.reply:
            report.replies += 1
            continue
        entries.append(entry)
    if limits is not None:
        _check_limits(entries, limits)
    # Only the projects the importer may annotate in: the rest answer as if they did not exist.
    projects = member_project_ids(importer, role=Role.ANNOTATOR)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    stances = _stance_lookup(tag_map or {}, projects)
    articles = Article.objects.filter(project__in=projects)
    planned = _plan(
        entries, importer, report, stances, base_url, keep_authors, tags_in_note, articles
    )
    if hourly_quota is not None and planned:
        _check_quota(importer, len(planned), hourly_quota, now)
    # Tags were matched against each project's codebook as it is now.
    versions = dict(
        Article.objects.filter(pk__in={plan.article_id for plan in planned}).values_list(
            "pk", "project__codebook_version"
        )
    )
    _write(planned, report, progress, versions)
    return report


def _check_limits(entries: list[Entry], limits: Limits) -> None:
    advice = (
        " Split the file, or ask staff to run manage.py import_annotations, which has no limit."
    )
    if len(entries) > limits.items:
        raise ImportError_(
            f"This file holds {len(entries):,} annotations; an upload takes up to "
            f"{limits.items:,}.{advice}"
        )
    longest = max((len(e.quote) for e in entries), default=0)
    if longest > limits.quote_chars:
        raise ImportError_(
            f"A quote in this file is {longest:,} characters long; an upload takes quotes of up "
            f"to {limits.quote_chars:,}.{advice}"
        )
    total = sum(len(e.quote) + len(e.note) for e in entries)
    if total > limits.total_chars:
        raise ImportError_(
            f"This file's quotes and notes hold {total:,} characters; an upload takes up to "
            f"{limits.total_chars:,}.{advice}"
        )


def _check_quota(importer, wanted: int, quota: int, now: dt.datetime) -> None:
    recent = Annotation.objects.filter(
        user=importer, imported=True, created__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent + wanted > quota:
        raise ImportError_(
            f"Imports are limited to {quota:,} annotations per person per hour; you imported "
            f"{recent:,} in the last hour and this file would add {wanted:,}. Try again later, "
            "or ask staff to run manage.py import_annotations."
        )


def _stance_lookup(tag_map: Mapping[str, str], projects) -> Callable[[str, int], Stance | None]:
    """``lookup(tag, project_id)``: the stance of that project's codebook the tag names.
    Each project has its own codebook, and its own "Russia"."""
    stances = list(Stance.objects.filter(project__in=projects).order_by("project", "order"))
    by_name = {(s.project_id, s.name.casefold()): s for s in stances}
    names = {s.name.casefold(): s.name for s in stances}
    unknown_targets = sorted({v for v in tag_map.values() if v.casefold() not in names})
    if unknown_targets:
        raise ImportError_(
            f"No stance named {', '.join(f'“{n}”' for n in unknown_targets)} to map tags to. "
            f"The stances are: {', '.join(dict.fromkeys(names.values()))}."
        )

    def lookup(tag: str, project_id: int) -> Stance | None:
        folded = tag.casefold()
        return by_name.get(
            (project_id, tag_map[folded].casefold() if folded in tag_map else folded)
        )

    return lookup


def _plan(
    entries: list[Entry],
    importer,
    report: ImportReport,
    lookup: Callable[[str, int], Stance | None],
    base_url: str,
    keep_authors: bool,
    tags_in_note: bool,
    articles,
) -> list[_Planned]:
    """Match and place every entry, outside any transaction: the slow part."""
    find_article = ArticleFinder(base_url, articles)
    owners: dict[str, Any] = {}
    texts: dict[int, _Text] = {}
    titles: dict[int, str] = {}
    project_of: dict[int, int] = {}
    candidates = {e.id for e in entries} | {renamed_id(importer.pk, e.id) for e in entries}
    # The importer's annotations among the file's ids, with their article's project.
    owned = _owned_projects(Annotation.objects.filter(user=importer), candidates)
    planned: list[_Planned] = []
    pending: dict[uuid.UUID, list[int]] = {}

    def stances_for(entry: Entry, project_id: int) -> tuple[list[int], list[str]]:
        chosen: list[int] = []
        unknown: list[str] = []
        for tag in dict.fromkeys(entry.tags):
            stance = lookup(tag, project_id)
            if stance is None:
                report.unknown_stances[tag] += 1
                unknown.append(tag)
            elif stance.pk not in chosen:
                chosen.append(stance.pk)
        return chosen, unknown

    for entry in entries:
        owner = importer
        if keep_authors:
            owner = _user_named(entry.creator, owners)
            if owner is None:
                report.problems.append(
                    f"{entry.label}: no user named “{entry.creator}” to keep as its author"
                )
                continue
        own_id = next((i for i in (entry.id, renamed_id(owner.pk, entry.id)) if i in owned), None)
        if own_id is not None or entry.id in pending:
            report.already_present += 1
            if own_id is not None:
                stance_ids, _ = stances_for(entry, owned[own_id])
                if stance_ids:
                    pending.setdefault(own_id, []).extend(stance_ids)
            continue
        article_id = find_article(entry.sources)
        if article_id is None:
            report.no_article[entry.sources[0]] += 1
            continue
        if article_id not in texts:
            article = articles.only("text", "title", "project_id").get(pk=article_id)
            texts[article_id], titles[article_id] = _Text(article.text), article.title
            project_of[article_id] = article.project_id
        stance_ids, unknown = stances_for(entry, project_of[article_id])
        placed = texts[article_id].place(entry)
        if placed is None:
            report.unplaced.append(
                f"{entry.label} on “{titles[article_id]}”: “{_shorten(entry.quote)}” is not in the text"
            )
            continue
        start, end, status, score = placed
        note = entry.note
        if tags_in_note and unknown:
            note = (note + "\n\n" if note else "") + "Tags: " + ", ".join(unknown)
        pending[entry.id] = []
        planned.append(
            _Planned(
                entry,
                entry.id,
                article_id,
                owner,
                start,
                end,
                status,
                stance_ids,
                note[:NOTE_MAX_LENGTH],
                texts[article_id].text,
                titles[article_id],
                score,
            )  # fmt: skip
        )
    for own_id, stance_ids in pending.items():
        if stance_ids and own_id in owned:
            report.stances_added += _add_missing_stances(own_id, stance_ids)
    return _rename_taken(planned, report)


def _owned_projects(annotations, ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    listed = list(ids)
    for start in range(0, len(listed), 500):
        found.update(
            annotations.filter(pk__in=listed[start : start + 500]).values_list(
                "pk", "article__project_id"
            )
        )
    return found


def _rename_taken(planned: list[_Planned], report: ImportReport) -> list[_Planned]:
    """Ids of someone else's annotations: the import takes a new one and says so. (With
    ``keep_authors`` the owner is not the importer: their own ids are "already here".)"""
    holders = _holders({p.id for p in planned})
    for plan in planned:
        if holders.get(plan.id, plan.owner.pk) != plan.owner.pk:
            plan.id = renamed_id(plan.owner.pk, plan.id)
            report.renamed[plan.entry.raw_id or plan.entry.label] = f"{UUID_URN}{plan.id}"
    holders = _holders({p.id for p in planned})
    kept = [p for p in planned if p.id not in holders]
    report.already_present += len(planned) - len(kept)
    return kept


def _holders(ids: set[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    listed = list(ids)
    for start in range(0, len(listed), 500):
        found.update(
            Annotation.objects.filter(pk__in=listed[start : start + 500]).values_list(
                "pk", "user_id"
            )
        )
    return found


def _add_missing_stances(annotation_id: uuid.UUID, stance_ids: list[int]) -> int:
    with transaction.atomic():
        have = set(
            AnnotationStance.objects.filter(annotation_id=annotation_id).values_list(
                "stance_id", flat=True
            )
        )
        new = [s for s in dict.fromkeys(stance_ids) if s not in have]
        AnnotationStance.objects.bulk_create(
            [AnnotationStance(annotation_id=annotation_id, stance_id=s) for s in new],
            ignore_conflicts=True,
        )
        if new:
            Annotation.objects.filter(pk=annotation_id).update(updated=timezone.now())
    return len(new)


def _write(
    planned: list[_Planned],
    report: ImportReport,
    progress: Callable[[int, int], None] | None,
    codebook_versions: Mapping[int, int] | None = None,
) -> None:
    """Short transactions of at most BATCH rows and BATCH_SECONDS; an id that another
    request stored meanwhile (the same file uploaded twice at once) is "already here",
    not an error."""
    done = 0
    while done < len(planned):
        if done and connection.vendor == "sqlite":
            time.sleep(SQLITE_WRITER_GAP)
        began = time.monotonic()
        with transaction.atomic():
            tags: list[AnnotationStance] = []
            for plan in planned[done : done + BATCH]:
                if time.monotonic() - began > BATCH_SECONDS:
                    break
                done += 1
                text = plan.text
                prefix, suffix = context(text, plan.start, plan.end)
                try:
                    with transaction.atomic():
                        Annotation.objects.create(
                            id=plan.id,
                            article_id=plan.article_id,
                            user=plan.owner,
                            start=plan.start,
                            end=plan.end,
                            quote=text[plan.start : plan.end],
                            prefix=prefix,
                            suffix=suffix,
                            note=plan.note,
                            visibility=plan.entry.visibility,
                            anchor_status=plan.status,
                            source_id=plan.entry.raw_id[:200],
                            source_created=plan.entry.created,
                            source_modified=plan.entry.modified,
                            imported=True,
                            codebook_version=(codebook_versions or {}).get(plan.article_id)
                            or None,
                        )
                except IntegrityError:
                    report.already_present += 1
                    continue
                tags.extend(
                    AnnotationStance(annotation_id=plan.id, stance_id=s)
                    for s in dict.fromkeys(plan.stance_ids)
                )
                report.created += 1
                report.moved += plan.status == MOVED
                if plan.score < 1.0:
                    # Reported once written: a row another upload wrote first is "already here".
                    report.fuzzy.append(
                        (f"{plan.entry.label}: “{_shorten(plan.entry.quote)}”", plan.score)
                    )
                report.articles[plan.title] += 1
            AnnotationStance.objects.bulk_create(tags)
        if progress is not None:
            progress(done, len(planned))


def _user_named(name: str, cache: dict[str, Any]) -> Any:
    if name not in cache:
        cache[name] = get_user_model().objects.filter(username=name).first() if name else None
    return cache[name]


def _shorten(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def hourly_quota() -> int | None:
    return getattr(settings, "ANNOTATION_IMPORT_PER_HOUR", None)
