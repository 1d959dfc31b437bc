from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Make sure the demo account exists and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("STANCE_DEMO_USER", "demo"))
        parser.add_argument("--password", default=os.environ.get("STANCE_DEMO_PASSWORD", "stance-demo"))

    def handle(self, *args, username: str, password: str, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if created or not user.has_usable_password():
            user.set_password(password)
            user.save()
        state = "created" if created else "already exists"
        self.stdout.write(
            self.style.SUCCESS(f"Demo account {state}: log in at http://127.0.0.1:8000/accounts/login/ ")
            + f"as “{username}” with password “{password}”"
            + ("" if created else " (unless you changed it)")
            + "."
        )
