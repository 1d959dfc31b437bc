"""A coding study: who codes which article, what each coder submitted, and the
gold version a curator settled on."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Assignment(models.Model):
    """An article put in a coder's queue."""

    article = models.ForeignKey(
        "reader.Article", on_delete=models.CASCADE, related_name="assignments"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "coder"], name="assignment_once")]
        indexes = [models.Index(fields=["coder", "article"])]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.coder}"


class SubmissionQuerySet(models.QuerySet):
    def latest_rounds(self) -> SubmissionQuerySet:
        """Each coder's most recent round of each article (the one agreement uses)."""
        newer = Submission.objects.filter(
            article=models.OuterRef("article"),
            coder=models.OuterRef("coder"),
            round__gt=models.OuterRef("round"),
        )
        return self.filter(~models.Exists(newer))


class Submission(models.Model):
    """A coder's "Submit my coding" for one article: a frozen snapshot (round 1),
    and one more round each time a reopened coding is submitted again."""

    article = models.ForeignKey(
        "reader.Article", on_delete=models.CASCADE, related_name="submissions"
    )
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    round = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(auto_now_add=True)
    codebook_version = models.PositiveIntegerField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "coder", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "coder", "round"], name="submission_round_once"
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="submission_round_positive"),
        ]
        indexes = [models.Index(fields=["coder", "article"])]

    def __str__(self) -> str:
        return f"{self.coder} on {self.article_id}, round {self.round}"


class SnapshotAnnotation(models.Model):
    """One annotation as it stood when its coder submitted; later edits leave it alone."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="annotations")
    annotation_id = models.UUIDField(help_text="The live annotation it was copied from.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    note = models.TextField(blank=True)
    stances = models.JSONField(default=list, help_text="Stance names, in codebook order.")
    codebook_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="snapshot_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.start}-{self.end}"


class Reopening(models.Model):
    """A manager's leave for a coder to change a submitted coding; used by the next round."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reopenings")
    allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"reopening of {self.submission}"


class Adjudication(models.Model):
    """A curator's decision on one unit of aligned coder versions."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepted (coders agree)"
        PICKED = "picked", "Picked one version"
        MERGED = "merged", "Merged versions"
        EDITED = "edited", "Edited"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(
        "reader.Article", on_delete=models.CASCADE, related_name="adjudications"
    )
    unit_start = models.PositiveIntegerField()
    unit_end = models.PositiveIntegerField()
    sources = models.ManyToManyField(SnapshotAnnotation, related_name="adjudications")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit_start", "unit_end", "created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["accepted", "picked", "merged", "edited", "rejected"]),
                name="adjudication_decision_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.decision} {self.unit_start}-{self.unit_end} on {self.article_id}"


class GoldQuerySet(models.QuerySet):
    def visible_to(self, user) -> GoldQuerySet:
        """Gold of the user's projects. Gold is made of every coder's work, so in a blind
        project it shows as their work does: to managers and curators, and to a coder
        once they have submitted the article."""
        from projects.models import Membership, Project, Role

        if not user.is_authenticated:
            return self.none()
        oversees = Membership.objects.filter(user=user).filter(
            Q(role=Role.MANAGER) | Q(curator=True)
        )
        submitted = Submission.objects.filter(coder=user, article=models.OuterRef("article"))
        return self.filter(
            ~Q(article__project_id__in=Project.objects.filter(settings__blind=True).values("pk"))
            | Q(article__project_id__in=oversees.values("project_id"))
            | Q(models.Exists(submitted)),
            article__project_id__in=Project.objects.for_member(user).values("pk"),
        )


class GoldAnnotation(models.Model):
    """The project's settled version of a claim: the gold layer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.ForeignKey(
        "reader.Article", on_delete=models.CASCADE, related_name="gold_annotations"
    )
    adjudication = models.OneToOneField(
        Adjudication, on_delete=models.CASCADE, related_name="gold", null=True, blank=True
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    stances = models.ManyToManyField("annotations.Stance", blank=True, related_name="+")
    note = models.TextField(blank=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = GoldQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "created"]
        indexes = [models.Index(fields=["article", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="gold_end_after_start")
        ]

    def __str__(self) -> str:
        return f"gold {self.start}-{self.end} on {self.article_id}"
