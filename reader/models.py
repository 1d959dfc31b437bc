from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.text import slugify

from projects.models import Project, default_project_pk

from . import search as fulltext

# A word is a run of non-space characters with a letter or digit in it, so
# "Russia’s" and "130,000" count once and a lone dash not at all.
WORD = re.compile(r"\S*\w\S*")


SLUG_LENGTH = 100


def slug_base(title: str, limit: int = SLUG_LENGTH) -> str:
    """The title's slug cut to ``limit`` at the end of a word, never inside one
    (a single word longer than the limit is the only thing cut)."""
    slug = slugify(title)
    if len(slug) > limit:
        cut = slug[: limit + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:limit]
    return slug.strip("-") or "article"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user) -> ArticleQuerySet:
        """Articles of the projects the user is a member of (staff get no more)."""
        return self.filter(project_id__in=Project.objects.for_member(user).values("pk"))

    def in_project(self, project: Project) -> ArticleQuerySet:
        return self.filter(project=project)

    def for_reading(self) -> ArticleQuerySet:
        # The raw input (up to 5 MB) and the cleaning report are for the admin and re-cleaning.
        return self.defer("raw_input", "cleaning_report").select_related("project")

    def for_listing(self) -> ArticleQuerySet:
        # The list never needs the heavy columns.
        return self.defer("body_html", "text", "raw_input", "cleaning_report").select_related(
            "project"
        )

    def search(self, query: str, *, ranked: bool = False) -> ArticleQuerySet:
        """Articles matching a web-search style query (see reader/search.py).

        With ranked, each article carries `relevance` (larger is better) to order by.
        """
        groups = fulltext.parse(query)
        if not groups:
            return self.annotate(relevance=Value(0.0)) if ranked else self
        found = self.filter(fulltext.matching(groups, self.db, ranked=ranked))
        return found.annotate(relevance=fulltext.Relevance(query)) if ranked else found


class Article(models.Model):
    # Articles made without a project (older callers) land in the default one.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="articles", default=default_project_pk
    )
    title = models.CharField(max_length=500)
    subtitle = models.TextField(blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published = models.DateTimeField(null=True, blank=True, db_index=True)
    source_name = models.CharField(max_length=200, blank=True)
    # NULL rather than "" when absent, so the unique constraint allows many.
    source_url = models.URLField(max_length=2000, null=True, blank=True)  # noqa: DJ001
    slug = models.SlugField(max_length=120, unique=True)
    body_html = models.TextField(editable=False)
    text = models.TextField(editable=False)
    text_hash = models.CharField(max_length=64, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    raw_input = models.BinaryField(editable=False)
    raw_filename = models.CharField(max_length=255, blank=True)
    raw_content_type = models.CharField(max_length=100, blank=True)
    raw_kind = models.CharField(max_length=10, default="text")
    cleaning_report = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change of the text or title; each value has an ArticleVersion.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-imported_at"]
        indexes = [
            models.Index(fields=["source_name"]),
            # The project's article list, newest first.
            models.Index(
                fields=["project", "-published", "-imported_at"], name="article_project_listing"
            ),
            # An edited file is matched to its article by title first (reader.similar).
            models.Index(Upper("title"), name="article_title_upper"),
        ]
        constraints = [
            # The duplicate rules hold within a project: two teams may import one page.
            models.UniqueConstraint(fields=["project", "source_url"], name="article_url_once_per_project"),
            models.UniqueConstraint(fields=["project", "text_hash"], name="article_text_once_per_project"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "reader:article_detail", kwargs={"project": self.project.slug, "slug": self.slug}
        )

    def set_text(self, *, body_html: str, text: str) -> None:
        """The canonical text is derived from the body, never typed in."""
        self.body_html = body_html
        self.text = text
        self.text_hash = text_digest(text)
        self.word_count = len(WORD.findall(text))

    def assign_slug(self) -> None:
        base = slug_base(self.title)
        slug, n = base, 1
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        self.slug = slug


class ArticleVersion(models.Model):
    """One state of an article's text, kept for good: annotations made on it, and the
    differences a reader is shown after an update, refer to it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    body_html = models.TextField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleProposal(models.Model):
    """A pasted or uploaded page that claims an existing article's address, from someone
    who may not edit that article: it waits for an editor instead of replacing the text."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="proposals")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    base_version = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    subtitle = models.TextField(blank=True)
    byline = models.CharField(max_length=500, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    body_html = models.TextField()
    text = models.TextField()
    raw_input = models.BinaryField()
    raw_filename = models.CharField(max_length=255, blank=True)
    raw_content_type = models.CharField(max_length=100, blank=True)
    raw_kind = models.CharField(max_length=10, default="text")
    cleaning_report = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "accepted", "rejected"]),
                name="article_proposal_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Proposed update of {self.article_id} by {self.proposed_by_id}"


class SourceParagraph(models.Model):
    """Which paragraphs each article of a source had, for the corpus chrome rule."""

    source = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fingerprint", "article"], name="source_paragraph_once"
            )
        ]
        indexes = [models.Index(fields=["source", "fingerprint"])]

    def __str__(self) -> str:
        return f"{self.source}: {self.fingerprint[:12]}"


class ImportDraft(models.Model):
    """An input waiting in the import preview; deleted when saved."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    # The project the article will join; drafts of before projects go to the default one.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", default=default_project_pk
    )
    raw_input = models.BinaryField()
    filename = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    charset = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.filename or self.url or f"Pasted text {self.pk}"


class ImportReceipt(models.Model):
    """What a saved import draft became. The draft itself is deleted when saved; a second
    Save of the same preview (the Back button, a double click) finds this and says so."""

    draft_id = models.PositiveBigIntegerField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Draft {self.draft_id} saved as article {self.article_id}"


class ArticleDetailsChange(models.Model):
    """Who changed an article's details (title, standfirst, byline, date, source), when and
    why, with the values before and after. The text is never touched by such a change, so
    it is not an ArticleVersion, whose number is the text version annotations point into."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="details_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)

    class Meta:
        ordering = ["article", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"Details of {self.article_id} changed {self.changed_at:%Y-%m-%d %H:%M}"
