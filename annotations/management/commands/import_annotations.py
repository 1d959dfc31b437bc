from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations import jsonld


class Command(BaseCommand):
    help = (
        "Import W3C Web Annotations (JSON-LD: a collection, a page, a list or one annotation). "
        "Annotations whose target is an article here are placed on its text and created for "
        "--user; the rest are reported. Importing the same file again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Who imports (and owns) the annotations.")
        parser.add_argument(
            "--keep-authors",
            action="store_true",
            help="Staff only: give each annotation to the existing user named as its creator.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="This site's scheme and host; targets on other hosts then match only by the "
            "article's source URL. Default: a reading-page path on any host matches.",
        )

    def handle(self, *args, file: Path, user: str, keep_authors: bool, base_url: str, **options):
        importer = get_user_model().objects.filter(username=user).first()
        if importer is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            report = jsonld.import_collection(
                jsonld.parse_document(raw),
                importer=importer,
                keep_authors=keep_authors,
                base_url=base_url,
            )
        except jsonld.ImportError_ as error:
            raise CommandError(f"{file}: {error}") from error
        for line in report.details():
            self.stderr.write(line)
        self.stdout.write(f"{file}: {report.summary()}")
