from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from projects.models import Membership, Project, Role, default_project_pk

NOTE_MAX_LENGTH = 10_000
CONTEXT_LENGTH = 32


class StanceQuerySet(models.QuerySet):
    def active(self) -> StanceQuerySet:
        return self.filter(active=True)

    def of_project(self, project: Project | int) -> StanceQuerySet:
        return self.filter(project=project)


class Stance(models.Model):
    # The codebook belongs to a project; stances made without one join the default project's.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stances", default=default_project_pk
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    colour = models.CharField(
        max_length=7,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a colour like #1f77b4.")],
    )
    hotkey = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="Key 1–9 that tags a selection with this stance.",
    )
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Retired stances stay on the annotations that carry them."
    )
    # The coding guide: plain text or Markdown, rendered safely.
    definition = models.TextField(blank=True)
    when_to_use = models.TextField(blank=True)
    example = models.TextField(blank=True)
    counter_example = models.TextField(blank=True)

    objects = StanceQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="stance_name_once_per_project"
            ),
            models.UniqueConstraint(
                fields=["project", "hotkey"], name="stance_hotkey_once_per_project"
            ),
            models.CheckConstraint(
                condition=Q(hotkey__isnull=True) | Q(hotkey__gte=1, hotkey__lte=9),
                name="stance_hotkey_1_to_9",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _submitted_by(user_id: int) -> Exists:
    """Whether the user has submitted their coding of the annotation's article (studies)."""
    from django.apps import apps

    submissions = apps.get_model("studies", "Submission").objects
    return Exists(submissions.filter(coder_id=user_id, article=OuterRef("article")))


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user) -> AnnotationQuerySet:
        """Shared annotations in the user's projects, and the user's own private ones there.

        In a project whose coders work blind, another person's shared annotation on an
        article shows only once the user has submitted their coding of that article
        (studies.Submission), or to the project's managers. One query, whatever the path:
        pages, fragments, counts, live updates and exports all read through here.
        """
        if not user.is_authenticated:
            return self.none()
        blind = Project.objects.filter(settings__blind=True).values("pk")
        managed = Project.objects.for_member(user, role=Role.MANAGER).values("pk")
        sees_shared = (
            ~Q(article__project_id__in=blind)
            | Q(article__project_id__in=managed)
            | Q(_submitted_by(user.pk))
        )
        return self.filter(
            Q(user=user) | (Q(visibility=Annotation.Visibility.SHARED) & sees_shared),
            article__project_id__in=Project.objects.for_member(user).values("pk"),
        )

    def visible_in(self, membership: Membership) -> AnnotationQuerySet:
        """visible_to(membership.user) within the membership's project, for a page that has
        the membership already: no subquery over every project the person is in, which would
        read every article of those projects. Blind coding applies as in visible_to."""
        shared = Q(visibility=Annotation.Visibility.SHARED)
        if (membership.project.settings or {}).get("blind") and not membership.can_manage:
            shared &= Q(_submitted_by(membership.user_id))
        return self.filter(
            shared | Q(user_id=membership.user_id),
            article__project_id=membership.project_id,
        )

    def owned_by(self, user) -> AnnotationQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def with_related(self) -> AnnotationQuerySet:
        return self.select_related("user").prefetch_related("stances")


class Annotation(models.Model):
    class Visibility(models.TextChoices):
        SHARED = "shared", "Shared with the team"
        PRIVATE = "private", "Private to me"

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        MOVED = "moved", "Moved"
        ORPHANED = "orphaned", "Orphaned"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(
        "reader.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(max_length=CONTEXT_LENGTH, blank=True)
    stances = models.ManyToManyField(Stance, through="AnnotationStance", blank=True)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SHARED
    )
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # The article version the offsets point into (ArticleVersion.number).
    article_version = models.PositiveIntegerField(default=1)
    # The quote the annotation was made on, kept while a fuzzy move that its owner has
    # not confirmed put it on other wording ("" otherwise).
    original_quote = models.TextField(blank=True)
    # What an imported file said about the annotation: kept as data (shown and
    # exported), never as the row's own clock, which only the server sets.
    source_id = models.CharField(max_length=200, blank=True)
    source_created = models.DateTimeField(null=True, blank=True)
    source_modified = models.DateTimeField(null=True, blank=True)
    imported = models.BooleanField(default=False)
    # The number of the project's codebook version this annotation was made under.
    codebook_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Made by the toolbar when it opens: a repeated save (double click, a digit pressed
    # twice) carries the same token and gets the annotation already made.
    client_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "created"]
        indexes = [
            models.Index(fields=["article", "start"]),
            models.Index(fields=["user", "created"]),
            models.Index(fields=["created"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_not_negative"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="annotation_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["shared", "private"]),
                name="annotation_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(anchor_status__in=["anchored", "moved", "orphaned"]),
                name="annotation_anchor_status_valid",
            ),
            models.UniqueConstraint(
                fields=["user", "client_token"], name="annotation_client_token_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.quote[:40]!r}"

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED


class AnnotationStance(models.Model):
    """One stance on one annotation; a model of its own so a tag can carry more later."""

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="tags")
    stance = models.ForeignKey(Stance, on_delete=models.PROTECT, related_name="tags")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["annotation", "stance"], name="annotation_stance_once")
        ]

    def __str__(self) -> str:
        return f"{self.stance} on {self.annotation_id}"
