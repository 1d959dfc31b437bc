from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from studies.agreement import band
from studies.reports import agreement_json


class Command(BaseCommand):
    help = (
        "Intercoder agreement of a project's study (Krippendorff's alpha, units, pairwise F1), "
        "from submitted snapshots in a blind project and shared annotations otherwise."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--article", help="One article's slug (default: every coded article).")
        parser.add_argument(
            "--users", help="Comma-separated usernames: the coders (default: everyone who coded)."
        )
        parser.add_argument("--theta", type=float, help="IoU threshold for units (default 0.5).")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        try:
            from projects.models import Project
        except ImportError as error:  # the study builds on projects (issue 12)
            raise CommandError("The agreement command needs the projects app.") from error

        project = Project.objects.filter(slug=options["project"]).first()
        if project is None:
            raise CommandError(f"No project {options['project']!r}.")
        theta = options["theta"]
        if theta is not None and not 0 < theta <= 1:
            raise CommandError("--theta must be in (0, 1].")
        users = None
        if options["users"]:
            users = [u.strip() for u in options["users"].split(",") if u.strip()]
        if options["article"] and not project.articles.filter(slug=options["article"]).exists():
            raise CommandError(f"No article {options['article']!r} in {project.slug}.")
        report = agreement_json(project, article_slug=options["article"], users=users, theta=theta)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        for row in report["articles"]:
            alpha = row["any_claim"]["alpha_chars"]
            self.stdout.write(
                f"{row['article']}: {len(row['coders'])} coders, {row['characters']} characters, "
                f"alpha (any claim) {alpha} [{band(alpha)}]"
            )
            for name, s in row["stances"].items():
                self.stdout.write(
                    f"  {name}: alpha chars {s['alpha_chars']}, units {s['alpha_units']} "
                    f"({s['units_used']}/{s['units_total']} units used)"
                )
            for w in row["warnings"]:
                self.stdout.write(f"  ! {w['message']}")
        pooled = report["project"]["any_claim"]["alpha_chars"]
        self.stdout.write(f"project: alpha (any claim) {pooled} [{band(pooled)}]")
