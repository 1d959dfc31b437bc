"""The ``--project`` option the management commands share."""

from __future__ import annotations

from django.core.management.base import CommandError

from .models import DEFAULT_SLUG, Project


def add_project_option(parser, *, many: bool = False) -> None:
    help_text = "The project's slug (see create_project)."
    if many:
        parser.add_argument("--project", action="append", metavar="SLUG", help=help_text + " Repeat for several.")
        parser.add_argument(
            "--all-projects", action="store_true", help="Every project (staff tooling)."
        )
    else:
        parser.add_argument("--project", metavar="SLUG", help=help_text)


def resolve_project(slug: str | None) -> Project:
    """The named project; without a name, the only project, else the default one."""
    if slug:
        project = Project.objects.filter(slug=slug).first()
        if project is None:
            raise CommandError(f"No project {slug!r}. The projects are: {_known()}.")
        return project
    projects = list(Project.objects.order_by("pk")[:2])
    if len(projects) == 1:
        return projects[0]
    default = Project.objects.filter(slug=DEFAULT_SLUG).first()
    if default is not None:
        return default
    raise CommandError(f"Name the project with --project SLUG. The projects are: {_known()}.")


def resolve_projects(slugs: list[str] | None, all_projects: bool) -> list[Project] | None:
    """The projects to work on; None means every project."""
    if all_projects:
        if slugs:
            raise CommandError("Give --project or --all-projects, not both.")
        return None
    if not slugs:
        return [resolve_project(None)]
    return [resolve_project(slug) for slug in dict.fromkeys(slugs)]


def _known() -> str:
    return ", ".join(Project.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
