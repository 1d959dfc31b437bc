"""Writes to projects, memberships and the codebook's versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from . import codebook
from .models import DEFAULT_SLUG, CodebookVersion, Invitation, Membership, Project, Role

# The codebook a new project starts from when it copies no other project's.
DEFAULT_CODEBOOK = [
    ("Russia", "Claims voicing the position of the Russian government.", "#d1495b", 1),
    ("United States", "Claims voicing the position of the US government.", "#2d7dd2", 2),
    ("Syrian opposition", "Claims voicing the position of the Syrian opposition.", "#3bb273", 3),
]


def unique_project_slug(name: str) -> str:
    base = slugify(name)[:50] or "project"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def default_project() -> Project:
    project, _ = Project.objects.get_or_create(slug=DEFAULT_SLUG, defaults={"name": "Stance Reader"})
    return project


@transaction.atomic
def codebook_version_record(*, project: Project, user=None, change: str = "") -> CodebookVersion | None:
    """Freeze the project's codebook as a new version, if it differs from the newest one.

    Call after every change to the project's stances. Returns the new version, or None when
    the codebook is what the newest version already says.
    """
    from annotations.models import Stance

    # Lock the project row so two editors' versions get distinct numbers.
    project = Project.objects.select_for_update().get(pk=project.pk)
    data = codebook.snapshot(Stance.objects.filter(project=project))
    latest = project.codebook_versions.order_by("-number").first()
    if latest is not None and latest.snapshot == data:
        return None
    if not change:
        change = codebook.describe_changes(latest.snapshot, data) if latest else "First version."
    number = (latest.number if latest else 0) + 1
    version = CodebookVersion.objects.create(
        project=project, number=number, created_by=user, change=change, snapshot=data
    )
    Project.objects.filter(pk=project.pk).update(codebook_version=number)
    return version


@transaction.atomic
def project_create(
    *, name: str, manager, slug: str = "", description: str = "", codebook_from: Project | None = None
) -> Project:
    """A new project with ``manager`` as its first manager and a codebook at version 1.

    The codebook is a copy of ``codebook_from``'s current stances (the caller checks that
    the creator may see it), else the default codebook.
    """
    from annotations.models import Stance

    project = Project.objects.create(
        name=name, slug=slug or unique_project_slug(name), description=description, created_by=manager
    )
    Membership.objects.create(project=project, user=manager, role=Role.MANAGER)
    if codebook_from is not None:
        Stance.objects.bulk_create(
            Stance(project=project, **{f: getattr(s, f) for f in codebook.STANCE_FIELDS})
            for s in Stance.objects.filter(project=codebook_from)
        )
        change = f"Copied from {codebook_from.name}."
    else:
        Stance.objects.bulk_create(
            Stance(project=project, name=n, description=d, colour=c, hotkey=k, order=i)
            for i, (n, d, c, k) in enumerate(DEFAULT_CODEBOOK)
        )
        change = "The default codebook."
    codebook_version_record(project=project, user=manager, change=change)
    project.refresh_from_db()
    return project


@transaction.atomic
def membership_set(*, project: Project, user, role: str = Role.ANNOTATOR, curator: bool | None = None) -> Membership:
    """Make ``user`` a member with ``role`` (joining, or changing the role of a member)."""
    membership, created = Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": role, "curator": bool(curator)}
    )
    if not created:
        membership.role = role
        if curator is not None:
            membership.curator = curator
        membership.save(update_fields=["role", "curator"])
    return membership


class LastManager(Exception):
    """The change would leave the project without a manager."""


def _other_managers(project: Project, user) -> bool:
    return (
        Membership.objects.select_for_update()
        .filter(project=project, role=Role.MANAGER)
        .exclude(user=user)
        .exists()
    )


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """A manager changes a member's role; the last manager cannot be demoted."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.MANAGER and role != Role.MANAGER:
        if not _other_managers(membership.project, membership.user):
            raise LastManager(
                f"{membership.user} is the project's last manager: make someone else a manager first."
            )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """The member leaves (or is removed); their annotations stay, attributed to them.

    The last manager cannot leave."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.role == Role.MANAGER and not _other_managers(membership.project, membership.user):
        raise LastManager(
            f"{membership.user} is the project's last manager: make someone else a manager first."
        )
    membership.delete()


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_create(
    *, project: Project, user, role: str, days: int, max_uses: int, note: str = ""
) -> tuple[Invitation, str]:
    """A new invitation and its token, which is shown once and stored only as a hash."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        project=project,
        token_hash=invitation_token_hash(token),
        role=role,
        created_by=user,
        expires_at=timezone.now() + dt.timedelta(days=days),
        max_uses=max_uses,
        note=note,
    )
    return invitation, token


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class InvitationUnusable(Exception):
    pass


def invitation_find(token: str) -> Invitation:
    """The invitation a link names, or InvitationUnusable saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("project")
        .filter(token_hash=invitation_token_hash(token[:100]))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("This invitation link is not valid. Ask the project's managers for a new one.")
    state = invitation.state(timezone.now())
    if state != "open":
        raise InvitationUnusable(
            f"This invitation link is {state}. Ask the project's managers for a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> tuple[Membership, bool]:
    """Make ``user`` a member through the link. Returns (membership, joined now).

    A member already in the project keeps their role (a link never demotes anyone) and the
    link is not used up by them."""
    invitation = invitation_find(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state(timezone.now()) != "open":
        raise InvitationUnusable("This invitation link was used up a moment ago.")
    existing = Membership.objects.filter(project=invitation.project, user=user).first()
    if existing is not None:
        return existing, False
    membership = Membership.objects.create(project=invitation.project, user=user, role=invitation.role)
    Invitation.objects.filter(pk=invitation.pk).update(uses=F("uses") + 1)
    return membership, True
