from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from projects.commands import resolve_project
from projects.models import Project
from projects.services import project_create


class Command(BaseCommand):
    help = "Create a project with its first manager and a codebook (the default, or a copy)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--manager", required=True, metavar="USER", help="Its first manager.")
        parser.add_argument("--slug", default="", help="Its address: /p/<slug>/ (made from the name by default).")
        parser.add_argument("--description", default="")
        parser.add_argument("--codebook-from", metavar="SLUG", help="Copy this project's codebook.")

    def handle(self, *args, name: str, manager: str, slug: str, description: str, codebook_from, **options):
        user = get_user_model().objects.filter(username=manager).first()
        if user is None:
            raise CommandError(f"No user named {manager!r}.")
        if slug and Project.objects.filter(slug=slug).exists():
            raise CommandError(f"A project with the slug {slug!r} exists already.")
        source = resolve_project(codebook_from) if codebook_from else None
        project = project_create(
            name=name, slug=slug, description=description, manager=user, codebook_from=source
        )
        self.stdout.write(
            f"Created “{project.name}” at /p/{project.slug}/ with {manager} as manager "
            f"and codebook version {project.codebook_version}."
        )
