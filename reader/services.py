"""Writes to articles: importing, re-cleaning. Each runs in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count

from .importing import pipeline
from .importing.decode import decode_bytes
from .importing.types import BODY, CAPTION, CHROME, ImportFailed
from .models import Article, SourceParagraph, text_digest

IMPORTED = "imported"
UPDATED = "updated"
UNCHANGED = "unchanged"


@dataclass
class ImportOutcome:
    article: Article
    status: str  # IMPORTED, UPDATED or UNCHANGED


@dataclass
class Metadata:
    """What a caller knows about an input better than the extractor (e.g. a .jsonl row)."""

    title: str = ""
    published: dt.datetime | None = None


def normalize_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no fragment."""
    url = (url or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def source_key(prepared_source_name: str, url: str) -> str:
    host = urlsplit(url).hostname or "" if url else ""
    host = host.removeprefix("www.")
    return (host or prepared_source_name).casefold()[:200]


def _recurring_fingerprints(source: str) -> set[str]:
    """Paragraphs already seen in two or more stored articles of this source."""
    if not source:
        return set()
    return set(
        SourceParagraph.objects.filter(source=source)
        .values("fingerprint")
        .annotate(n=Count("article", distinct=True))
        .filter(n__gte=2)
        .values_list("fingerprint", flat=True)
    )


def prepare_input(
    raw: bytes,
    *,
    filename: str = "",
    url: str = "",
    content_type: str = "",
    charset: str | None = None,
    restore: Collection[int] = (),
) -> pipeline.Prepared:
    """Decode, extract and clean one input without storing anything."""
    from .importing.text import paragraph_fingerprint

    if len(raw) > settings.IMPORT_MAX_BYTES:
        raise ImportFailed(
            f"{filename or 'The input'} is larger than "
            f"{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB; nothing was imported."
        )
    text = decode_bytes(raw, declared_charset=charset, filename=filename)
    kind = pipeline.detect_kind(text, filename=filename, content_type=content_type)
    extracted = pipeline.extract(text, kind=kind, url=url)
    if kind == "text":
        known = _recurring_fingerprints(source_key(extracted.source_name, url))
        if known:
            extracted = pipeline.extract(
                text, kind=kind, url=url, recurring=lambda p: paragraph_fingerprint(p) in known
            )
    prepared = pipeline.build(extracted, restore=restore)
    prepared.report["kind"] = kind
    return prepared


def _fallback_title(prepared: pipeline.Prepared, filename: str) -> str:
    if prepared.title:
        return prepared.title[:500]
    if filename:
        return PurePosixPath(filename).stem.replace("_", " ")[:500]
    first = prepared.text.split("\n", 1)[0]
    return (first[:117] + "…") if len(first) > 120 else first


def _record_paragraphs(article: Article, prepared: pipeline.Prepared, source: str) -> None:
    from .importing.text import paragraph_fingerprint

    if not source:
        return
    SourceParagraph.objects.filter(article=article).delete()
    fingerprints = {
        paragraph_fingerprint(s["text"])
        for s in prepared.report["segments"]
        if s["role"] in (BODY, CAPTION, CHROME) and s["text"]
    }
    SourceParagraph.objects.bulk_create(
        [SourceParagraph(source=source, fingerprint=f, article=article) for f in fingerprints],
        ignore_conflicts=True,
    )


@transaction.atomic
def article_import(
    *,
    raw: bytes,
    user,
    filename: str = "",
    url: str = "",
    content_type: str = "",
    charset: str | None = None,
    restore: Collection[int] = (),
    metadata: Metadata | None = None,
) -> ImportOutcome:
    """Store one input as an article, or update / skip the one it duplicates."""
    prepared = prepare_input(
        raw, filename=filename, url=url, content_type=content_type, charset=charset, restore=restore
    )
    source_url = normalize_url(url) or normalize_url(prepared.source_url)
    title = (metadata.title if metadata and metadata.title else "") or _fallback_title(
        prepared, filename
    )
    published = (metadata.published if metadata and metadata.published else None) or prepared.published

    existing = None
    if source_url:
        existing = Article.objects.filter(source_url=source_url).first()
    if existing is None:
        existing = Article.objects.filter(text_hash=text_digest(prepared.text)).first()
        if existing is not None:
            return ImportOutcome(existing, UNCHANGED)

    article = existing or Article(imported_by=user if user and user.is_authenticated else None)
    old_text = article.text if existing else None
    article.title = title
    article.subtitle = prepared.subtitle
    article.byline = prepared.byline[:500]
    article.published = published
    article.source_name = prepared.source_name[:200]
    article.source_url = source_url or None
    article.set_text(body_html=prepared.body_html, text=prepared.text)
    article.raw_input = raw
    article.raw_filename = filename[:255]
    article.raw_content_type = content_type[:100]
    article.raw_kind = prepared.report.get("kind", "text")
    article.cleaning_report = prepared.report
    if existing and old_text == article.text and existing.title == title:
        return ImportOutcome(existing, UNCHANGED)
    if not article.slug:
        article.assign_slug()
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        # Another import of the same page won the race; its article stands.
        twin = Article.objects.filter(text_hash=article.text_hash).first() or (
            Article.objects.filter(source_url=source_url).first() if source_url else None
        )
        if twin is None:
            raise ImportFailed(f"The article could not be stored: {error}") from error
        return ImportOutcome(twin, UNCHANGED)
    _record_paragraphs(article, prepared, source_key(article.source_name, source_url))
    if existing:
        from annotations.services import annotations_reanchor

        annotations_reanchor(article=article)
        return ImportOutcome(article, UPDATED)
    return ImportOutcome(article, IMPORTED)


def article_import_url(*, url: str, user, restore: Collection[int] = ()) -> ImportOutcome:
    from .importing.fetch import fetch_url

    fetched = fetch_url(url)
    return article_import(
        raw=fetched.body,
        user=user,
        url=fetched.final_url or url,
        content_type=fetched.content_type,
        charset=fetched.charset,
        restore=restore,
    )
