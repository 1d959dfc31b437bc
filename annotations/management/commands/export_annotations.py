from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotations import export
from projects.commands import add_project_option, resolve_projects
from projects.models import Project


class Command(BaseCommand):
    help = (
        "Write annotations as CSV, the same bytes as /export/annotations.csv gives for the same "
        "filters and user. Without --user: every shared annotation (private ones are only ever "
        "exported to their owner)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="Export what this user sees (and may use visibility=mine)."
        )
        parser.add_argument("--article", help="Article id.")
        parser.add_argument("--author", help="Only annotations by this username.")
        parser.add_argument("--stance", help="Only annotations with this stance (id or name).")
        parser.add_argument("--visibility", choices=[export.MINE, export.ALL])
        parser.add_argument(
            "--from", dest="date_from", metavar="YYYY-MM-DD", help="Created on or after."
        )
        parser.add_argument(
            "--to", dest="date_to", metavar="YYYY-MM-DD", help="Created on or before."
        )
        parser.add_argument("--layout", choices=[export.WIDE, export.LONG], default=export.WIDE)
        parser.add_argument(
            "--bom", action="store_true", help="Start with a UTF-8 byte-order mark."
        )
        parser.add_argument(
            "--raw",
            action="store_true",
            help="Every cell exactly as stored, for pandas or R (no apostrophe before a cell "
            "that a spreadsheet would read as a formula): do not open it in a spreadsheet.",
        )
        parser.add_argument(
            "--base-url",
            default=None,
            help="Scheme and host of the site (https://reader.example), for the links of articles "
            "without a source URL; the web export uses the request's. Default: the "
            "STANCE_SITE_URL setting.",
        )
        parser.add_argument("--output", "-o", help="File to write; default standard output.")
        add_project_option(parser, many=True)

    def handle(self, *args, **options):
        viewer = None
        if options["user"]:
            viewer = get_user_model().objects.filter(username=options["user"]).first()
            if viewer is None:
                raise CommandError(f"No user named {options['user']!r}.")
        params = {
            "article": options["article"],
            "author": options["author"],
            "stance": options["stance"],
            "visibility": options["visibility"],
            "from": options["date_from"],
            "to": options["date_to"],
            "layout": options["layout"],
            "bom": "1" if options["bom"] else "",
            "raw": "1" if options["raw"] else "",
        }
        try:
            projects = resolve_projects(options["project"], options["all_projects"])
            chosen = (
                Project.objects.all()
                if projects is None
                else Project.objects.filter(pk__in=[p.pk for p in projects])
            )
            export_options = export.parse_options(
                {k: v for k, v in params.items() if v is not None},
                projects=chosen,
                project_ids=None if projects is None else tuple(p.pk for p in projects),
            )
            export.annotations_for(viewer=viewer, options=export_options)
        except export.FilterError as error:
            raise CommandError(str(error)) from error
        base_url = settings.SITE_URL if options["base_url"] is None else options["base_url"]
        chunks = export.csv_chunks(viewer=viewer, options=export_options, base_url=base_url)
        if options["output"]:
            with open(options["output"], "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            stream = getattr(out, "buffer", None)
            for chunk in chunks:
                if stream is not None:
                    stream.write(chunk)
                else:
                    out.write(chunk.decode("utf-8"))
            out.flush()
