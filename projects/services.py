"""Writes to projects, memberships and the codebook's versions."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from . import codebook
from .models import DEFAULT_SLUG, CodebookVersion, Membership, Project, Role

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
