from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from annotations import importing
from projects.commands import add_project_option, resolve_project


class Command(BaseCommand):
    help = (
        "Import annotations: W3C Web Annotations (JSON-LD: a collection, a page, a list or one "
        "annotation) or Hypothesis's API JSON (a search response {total, rows} or one "
        "annotation). Annotations whose page is an article here are placed on its text and "
        "created for --user; the rest are reported. Importing the same file again creates "
        "nothing new. No size limit or hourly quota, unlike the web upload."
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
        parser.add_argument(
            "--map-tag",
            action="append",
            default=[],
            metavar="TAG=STANCE",
            help='Map a tag to a stance, e.g. --map-tag "fbi-letter=United States" (repeatable).',
        )
        parser.add_argument(
            "--tags-in-note",
            action="store_true",
            help="Write tags that are not stances into the note as “Tags: …”.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        add_project_option(parser)

    def handle(self, *args, file: Path, user: str, keep_authors: bool, base_url: str, **options):
        project = resolve_project(options["project"])
        importer = get_user_model().objects.filter(username=user).first()
        if importer is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if options["no_progress"]:
                return
            if bar is None:
                bar = tqdm(total=total, unit="annotation", file=self.stderr._out)
            bar.update(done - bar.n)

        try:
            report = importing.import_collection(
                importing.parse_document(raw),
                importer=importer,
                keep_authors=keep_authors,
                base_url=base_url,
                tag_map=importing.parse_tag_map(options["map_tag"]),
                tags_in_note=options["tags_in_note"],
                progress=progress,
                project=project,
            )
        except importing.ImportError_ as error:
            raise CommandError(f"{file}: {error}") from error
        finally:
            if bar is not None:
                bar.close()
        for line in report.details():
            self.stderr.write(line)
        if report.unknown_stances:
            self.stderr.write(
                "Unknown tags: "
                + ", ".join(f"{t} ({n})" for t, n in report.unknown_stances.most_common())
                + '. Map them with --map-tag "tag=Stance" and import again.'
            )
        self.stdout.write(f"{file}: {report.summary()}")
