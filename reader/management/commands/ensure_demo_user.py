from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from projects.models import Project, Role
from projects.services import membership_set, project_create


class Command(BaseCommand):
    help = (
        "Make sure the demo account exists and manages the demo project (made with the "
        "default codebook when missing), and print how to log in."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("STANCE_DEMO_USER", "demo"))
        parser.add_argument("--password", default=os.environ.get("STANCE_DEMO_PASSWORD", "stance-demo"))
        parser.add_argument("--project", default="demo", help="The demo project's slug.")
        parser.add_argument("--address", default="http://127.0.0.1:8000", help="Where the site is served.")

    def handle(self, *args, username: str, password: str, project: str, address: str, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        demo = Project.objects.filter(slug=project).first()
        if demo is None:
            demo = project_create(name="Syria talks (demo)", slug=project, manager=user)
        else:
            membership_set(project=demo, user=user, role=Role.MANAGER)
        state = "created" if created else "already exists"
        self.stdout.write(
            self.style.SUCCESS(f"Demo account {state}: log in at {address.rstrip('/')}/accounts/login/ ")
            + f"as “{username}” with password “{password}”"
            + ("" if created else " (unless you changed it)")
            + f"; it manages the project “{demo.name}” at /p/{demo.slug}/."
        )
