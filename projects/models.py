from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .links import cached_reverse

DEFAULT_SLUG = "default"
DEFAULT_NAME = "Stance Reader"


class Role(models.TextChoices):
    # Each role includes the ones after it.
    MANAGER = "manager", "Manager"
    ANNOTATOR = "annotator", "Annotator"
    VIEWER = "viewer", "Viewer"


RANK = {Role.VIEWER: 1, Role.ANNOTATOR: 2, Role.MANAGER: 3}


def role_at_least(role: str, needed: str) -> bool:
    return RANK.get(role, 0) >= RANK[needed]


class ProjectQuerySet(models.QuerySet):
    def for_member(self, user, *, role: str = Role.VIEWER) -> ProjectQuerySet:
        """Projects the user belongs to with at least ``role``; staff get no more than anyone."""
        if not user.is_authenticated:
            return self.none()
        roles = [r for r in Role.values if role_at_least(r, role)]
        return self.filter(
            pk__in=Membership.objects.filter(user=user, role__in=roles).values("project_id")
        )


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The number of the codebook's newest version; annotations record the one they were made under.
    codebook_version = models.PositiveIntegerField(default=0, editable=False)
    # Project settings that need no column of their own yet.
    settings = models.JSONField(default=dict, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The header's switcher links every project of the person on every page.
        return cached_reverse("reader:article_list", self.slug)


def default_project_pk() -> int:
    """The project that articles and stances made without one belong to.

    Everything that existed before projects lives there; code that does not name a project
    yet (older callers, scripts) keeps working by landing in it.
    """
    project, _ = Project.objects.get_or_create(
        slug=DEFAULT_SLUG, defaults={"name": DEFAULT_NAME}
    )
    return project.pk


class MembershipQuerySet(models.QuerySet):
    def of(self, user) -> MembershipQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ANNOTATOR)
    # The right to adjudicate (make gold annotations) in a study; independent of the role.
    curator = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["project", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_once"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "annotator", "viewer"]), name="membership_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "project"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"

    @property
    def can_view(self) -> bool:
        return role_at_least(self.role, Role.VIEWER)

    @property
    def can_annotate(self) -> bool:
        """Annotate and import articles."""
        return role_at_least(self.role, Role.ANNOTATOR)

    @property
    def can_import(self) -> bool:
        return self.can_annotate

    @property
    def can_manage(self) -> bool:
        """Members, invitations, the codebook, settings, editing and deleting articles."""
        return role_at_least(self.role, Role.MANAGER)

    @property
    def can_curate(self) -> bool:
        return self.curator


class CodebookVersion(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="codebook_versions"
    )
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    change = models.TextField(blank=True, help_text="What changed, in words.")
    # projects.codebook.snapshot(): every stance of the codebook as it was at this version.
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="codebook_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="codebook_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.project} codebook v{self.number}"


class InvitationQuerySet(models.QuerySet):
    def usable(self, now) -> InvitationQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, uses__lt=models.F("max_uses"))


class Invitation(models.Model):
    """A link that makes whoever opens it a member with ``role``.

    Only the SHA-256 of the link's token is stored: the link is shown once, to the manager
    who made it, and a copy of the database does not let anyone join.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ANNOTATOR)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Who it is for, for the managers.")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_uses_from_1"),
            models.CheckConstraint(
                condition=Q(role__in=["manager", "annotator", "viewer"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.project} as {self.role}"

    def state(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.uses >= self.max_uses:
            return "used up"
        return "open"
