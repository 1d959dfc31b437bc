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
from django.utils import timezone

from projects.models import Project
from projects.services import default_project

from .importing import pipeline
from .importing.decode import decode_bytes
from .importing.types import BODY, CAPTION, CHROME, ImportFailed
from .models import (
    Article,
    ArticleDetailsChange,
    ArticleProposal,
    ArticleVersion,
    ImportDraft,
    ImportReceipt,
    SourceParagraph,
    text_digest,
)
from .permissions import may_edit_article
from .similar import SimilarArticle, similar_article

IMPORTED = "imported"
UPDATED = "updated"
UNCHANGED = "unchanged"
PROPOSED = "proposed"
ALREADY_SAVED = "already-saved"


@dataclass
class ImportOutcome:
    article: Article
    status: str  # IMPORTED, UPDATED, UNCHANGED, PROPOSED or ALREADY_SAVED
    proposal: ArticleProposal | None = None
    counts: dict[str, int] | None = None  # annotations per anchor status after an update


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
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, "")
    )


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


def _by_user(user):
    return user if user is not None and user.is_authenticated else None


DETAIL_FIELDS = ("title", "subtitle", "byline", "published", "source_name")


def prepared_details(
    prepared: pipeline.Prepared, *, filename: str = "", metadata: Metadata | None = None
) -> dict:
    """The details the pipeline found (or the caller vouched for): the import preview's
    prefilled fields, and what is stored when nobody corrected them."""
    return {
        "title": (metadata.title if metadata and metadata.title else "")
        or _fallback_title(prepared, filename),
        "subtitle": prepared.subtitle,
        "byline": prepared.byline[:500],
        "published": (metadata.published if metadata and metadata.published else None)
        or prepared.published,
        "source_name": prepared.source_name[:200],
    }


def _apply_text(
    article: Article,
    *,
    prepared: pipeline.Prepared,
    details: dict,
    raw: bytes,
    filename: str,
    content_type: str,
) -> None:
    for name in DETAIL_FIELDS:
        setattr(article, name, details[name])
    article.set_text(body_html=prepared.body_html, text=prepared.text)
    article.raw_input = raw
    article.raw_filename = filename[:255]
    article.raw_content_type = content_type[:100]
    article.raw_kind = prepared.report.get("kind", "text")
    article.cleaning_report = prepared.report


def _record_version(article: Article, *, user, reason: str) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body_html=article.body_html,
        text=article.text,
        created_by=_by_user(user),
        reason=reason[:200],
    )


def _new_version(article: Article, *, user, reason: str) -> dict[str, int]:
    """After the article's text was replaced in place: keep the new state as the next
    version and re-anchor every annotation on it."""
    from annotations.services import annotations_reanchor

    _record_version(article, user=user, reason=reason)
    return annotations_reanchor(article=article)


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
    details: dict | None = None,
    project: Project | None = None,
    update_of: Article | None = None,
) -> ImportOutcome:
    """Store one input as an article of ``project``, or update / skip the one it duplicates there.

    ``url`` is where the input came from, as the caller vouches for it: a fetch of that
    address, or the operator's command line. A page that only *claims* an address (its
    canonical link, when pasted or uploaded) updates the article at that address only
    when the person may edit it; anyone else's becomes a proposed update for review.
    Without a project the article goes to the default project (callers of before projects).

    ``update_of`` is the article the preview offered this text as an update of (see
    :func:`similar_to_input`); it must still be that article, and the same rules apply
    as to a page claiming its address: its editors update it, anyone else proposes.

    ``details`` (title, subtitle, byline, published, source_name, as the person set them in
    the import preview) are stored as given instead of what the pipeline found.
    """
    if project is None:
        project = default_project()
    prepared = prepare_input(
        raw, filename=filename, url=url, content_type=content_type, charset=charset, restore=restore
    )
    vouched = normalize_url(url)
    source_url = vouched or normalize_url(prepared.source_url)
    found = prepared_details(prepared, filename=filename, metadata=metadata)
    details = {**found, **(details or {})}
    title = details["title"]

    in_project = Article.objects.in_project(project)
    existing = None
    if source_url:
        existing = in_project.select_for_update().filter(source_url=source_url).first()
    if existing is None:
        existing = in_project.filter(text_hash=text_digest(prepared.text)).first()
        if existing is not None:
            return ImportOutcome(existing, UNCHANGED)
    if existing is None and update_of is not None:
        # Matched as the preview offered it: on the title the pipeline found, whatever
        # title the person then typed.
        match = similar_article(
            project=project, title=found["title"], text=prepared.text, source_url=source_url
        )
        if match is None or match.article.pk != update_of.pk:
            raise ImportFailed(
                f"This text is no longer recognised as an update of “{update_of.title}”; "
                "nothing was imported. Check the preview again."
            )
        existing = in_project.select_for_update().get(pk=update_of.pk)
    if existing is not None:
        if existing.text == prepared.text and existing.title == title:
            return ImportOutcome(existing, UNCHANGED)
        if not vouched and not may_edit_article(user, existing):
            return ImportOutcome(
                existing,
                PROPOSED,
                proposal=_propose(
                    existing,
                    prepared=prepared,
                    details=details,
                    raw=raw,
                    filename=filename,
                    content_type=content_type,
                    user=user,
                ),
            )

    article = existing or Article(project=project, imported_by=_by_user(user))
    _apply_text(
        article,
        prepared=prepared,
        details=details,
        raw=raw,
        filename=filename,
        content_type=content_type,
    )
    # An update from a file without an address keeps the article's address.
    article.source_url = source_url or article.source_url or None
    if existing:
        article.version += 1
    if not article.slug:
        article.assign_slug()
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        # Another import of the same page won the race; its article stands.
        twin = in_project.filter(text_hash=article.text_hash).first() or (
            in_project.filter(source_url=source_url).first() if source_url else None
        )
        if twin is None:
            raise ImportFailed(f"The article could not be stored: {error}") from error
        return ImportOutcome(twin, UNCHANGED)
    _record_paragraphs(article, prepared, source_key(article.source_name, source_url))
    if existing:
        reason = f"fetched from {vouched}" if vouched else "re-imported by an editor"
        counts = _new_version(article, user=user, reason=reason)
        return ImportOutcome(article, UPDATED, counts=counts)
    _record_version(article, user=user, reason="imported")
    return ImportOutcome(article, IMPORTED)


def similar_to_input(
    *, prepared: pipeline.Prepared, filename: str = "", url: str = "", project: Project
) -> SimilarArticle | None:
    """The article the preview offers this input as an update of, judged by the title and
    address the import would give it."""
    return similar_article(
        project=project,
        title=_fallback_title(prepared, filename),
        text=prepared.text,
        source_url=normalize_url(url) or normalize_url(prepared.source_url),
    )


def _propose(
    article: Article,
    *,
    prepared: pipeline.Prepared,
    details: dict,
    raw: bytes,
    filename: str,
    content_type: str,
    user,
) -> ArticleProposal:
    pending = ArticleProposal.objects.filter(
        article=article,
        proposed_by=user,
        status=ArticleProposal.Status.PENDING,
        text=prepared.text,
        title=details["title"],
    ).first()
    if pending is not None:
        return pending
    return ArticleProposal.objects.create(
        article=article,
        proposed_by=user,
        base_version=article.version,
        **{name: details[name] for name in DETAIL_FIELDS},
        body_html=prepared.body_html,
        text=prepared.text,
        raw_input=raw,
        raw_filename=filename[:255],
        raw_content_type=content_type[:100],
        raw_kind=prepared.report.get("kind", "text"),
        cleaning_report=prepared.report,
    )


class NotAllowed(Exception):
    """The person may not decide on this proposed update."""


@transaction.atomic
def article_proposal_accept(*, proposal: ArticleProposal, user) -> dict[str, int]:
    """An editor accepts a proposed update: it becomes the article's next version."""
    article = Article.objects.select_for_update().get(pk=proposal.article_id)
    proposal = ArticleProposal.objects.select_for_update().get(pk=proposal.pk)
    if not may_edit_article(user, article):
        raise NotAllowed("Only the article's importer and the project's managers can accept a proposed update.")
    if proposal.status != ArticleProposal.Status.PENDING:
        raise NotAllowed("This proposed update was already decided.")
    article.title = proposal.title
    article.subtitle = proposal.subtitle
    article.byline = proposal.byline
    article.published = proposal.published
    article.source_name = proposal.source_name
    article.set_text(body_html=proposal.body_html, text=proposal.text)
    article.raw_input = bytes(proposal.raw_input)
    article.raw_filename = proposal.raw_filename
    article.raw_content_type = proposal.raw_content_type
    article.raw_kind = proposal.raw_kind
    article.cleaning_report = proposal.cleaning_report
    article.version += 1
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError as error:
        raise NotAllowed("Another article already has exactly this text.") from error
    proposal.status = ArticleProposal.Status.ACCEPTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])
    proposer = proposal.proposed_by.get_username()
    return _new_version(article, user=user, reason=f"update proposed by {proposer}, accepted")


@transaction.atomic
def article_proposal_reject(*, proposal: ArticleProposal, user) -> None:
    article = Article.objects.get(pk=proposal.article_id)
    if not may_edit_article(user, article):
        raise NotAllowed("Only the article's importer and the project's managers can reject a proposed update.")
    changed = ArticleProposal.objects.filter(
        pk=proposal.pk, status=ArticleProposal.Status.PENDING
    ).update(status=ArticleProposal.Status.REJECTED, decided_by=user, decided_at=timezone.now())
    if not changed:
        raise NotAllowed("This proposed update was already decided.")


@dataclass
class Duplicate:
    article: Article
    same: str  # "address" or "text"


def article_duplicate(
    *, prepared: pipeline.Prepared, url: str = "", project: Project | None = None
) -> Duplicate | None:
    """The article of the project that saving this input would meet: the one at its address
    (saving updates it or proposes an update) or the one with exactly its text (saving
    makes no copy). The import preview announces it before Save."""
    in_project = Article.objects.in_project(project or default_project()).only(
        "pk", "slug", "title"
    )
    source_url = normalize_url(url) or normalize_url(prepared.source_url)
    if source_url:
        found = in_project.filter(source_url=source_url).first()
        if found is not None:
            return Duplicate(found, "address")
    found = in_project.filter(text_hash=text_digest(prepared.text)).first()
    return Duplicate(found, "text") if found is not None else None


class DraftGone(Exception):
    """The draft was discarded (or never was the person's) and was not saved."""


@transaction.atomic
def draft_save(
    *,
    draft_id: int,
    user,
    restore: Collection[int] = (),
    details: dict | None = None,
    project: Project | None = None,
    update_of: Article | None = None,
) -> ImportOutcome:
    """Save a draft of the import preview once. The draft row is locked, so of two Saves
    sent together (a double click, Back then Save) the second waits for the first and
    then finds its receipt: it answers ALREADY_SAVED with the article the first made."""
    draft = ImportDraft.objects.select_for_update().filter(user=user, pk=draft_id).first()
    if draft is None:
        receipt = (
            ImportReceipt.objects.select_related("article")
            .filter(user=user, draft_id=draft_id)
            .first()
        )
        if receipt is None:
            raise DraftGone(f"Import {draft_id} is no longer waiting to be saved.")
        return ImportOutcome(receipt.article, ALREADY_SAVED)
    outcome = article_import(
        raw=bytes(draft.raw_input),
        user=user,
        filename=draft.filename,
        url=draft.url,
        content_type=draft.content_type,
        charset=draft.charset or None,
        restore=restore,
        details=details,
        project=project,
        update_of=update_of,
    )
    ImportReceipt.objects.create(draft_id=draft.pk, user=user, article=outcome.article)
    draft.delete()
    return outcome


def already_saved(*, draft_id: int, user) -> Article | None:
    """The article a draft of this person became, if it was saved."""
    receipt = (
        ImportReceipt.objects.select_related("article").filter(user=user, draft_id=draft_id).first()
    )
    return receipt.article if receipt else None


def _detail_value(value) -> str | None:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def article_details_update(*, article: Article, user, details: dict, reason: str = "") -> bool:
    """Correct an article's details. Only those fields are written: the text, and so every
    annotation's offsets, stay as they are. Each change is kept with who, when and why.
    False when nothing changed."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not may_edit_article(user, article):
        raise NotAllowed(
            "Only the article's importer, the project's managers or staff can edit it."
        )
    changed = [name for name in DETAIL_FIELDS if getattr(article, name) != details[name]]
    if not changed:
        return False
    before = {name: _detail_value(getattr(article, name)) for name in changed}
    for name in changed:
        setattr(article, name, details[name])
    article.save(update_fields=[*changed, "updated_at"])
    ArticleDetailsChange.objects.create(
        article=article,
        changed_by=_by_user(user),
        reason=(reason or "corrected " + ", ".join(changed))[:200],
        before=before,
        after={name: _detail_value(details[name]) for name in changed},
    )
    return True


def article_import_url(
    *, url: str, user, restore: Collection[int] = (), project: Project | None = None
) -> ImportOutcome:
    from .importing.fetch import fetch_url

    fetched = fetch_url(url)
    return article_import(
        raw=fetched.body,
        user=user,
        url=fetched.final_url or url,
        content_type=fetched.content_type,
        charset=fetched.charset,
        restore=restore,
        project=project,
    )
