from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from projects.commands import add_project_option, resolve_project
from reader import services
from reader.importing.types import ImportFailed
from reader.similar import similar_article

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


@dataclass
class Job:
    label: str
    run: object  # () -> ImportOutcome


def _published(value) -> dt.datetime | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise ImportFailed(f"“published” must be a date or date-time string, not {value!r}.")
    parsed = parse_datetime(value)
    if parsed is None and (day := parse_date(value)):
        parsed = dt.datetime.combine(day, dt.time())
    if parsed is None:
        raise ImportFailed(f"“published” is not an ISO date or date-time: {value!r}.")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = (
        "Import articles from files, folders (recursively), .jsonl files (one object per line "
        "with title, url, published and html or text) and http(s) addresses."
    )

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--user", help="Record this username as the importer.")
        add_project_option(parser)
        parser.add_argument(
            "--update-similar",
            action="store_true",
            help="A file without an address whose title matches an article and whose text is "
            "at least 90%% like it updates that article (as the import page offers) instead "
            "of becoming a second one.",
        )

    def handle(self, *args, sources: list[str], user: str | None, project: str | None, **options):
        self.project = resolve_project(project)
        self.update_similar = options["update_similar"]
        self.similar: list[tuple[str, str]] = []
        importer = None
        if user:
            from django.contrib.auth import get_user_model

            try:
                importer = get_user_model().objects.get_by_natural_key(user)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {user!r}.") from error
        jobs, failed = self._jobs(sources, importer)
        counts = Counter()
        progress = tqdm(jobs, desc="Importing", unit="article", disable=None if len(jobs) > 5 else True,
                        file=self.stderr._out)
        for job in progress:
            try:
                outcome = job.run()
            except ImportFailed as error:
                failed.append((job.label, str(error)))
                continue
            counts[outcome.status] += 1
            if options["verbosity"] > 1:
                progress.write(f"{outcome.status}: {job.label} → {outcome.article.title}")
        # A file that claims the address of an article the user may not edit (another's
        # import) changes nothing: it waits as a proposed update for that article's editors.
        proposed = (
            f"proposed {counts[services.PROPOSED]} (for the article's editors to review), "
            if counts[services.PROPOSED]
            else ""
        )
        self.stdout.write(
            f"Imported {counts[services.IMPORTED]}, updated {counts[services.UPDATED]}, "
            f"{proposed}duplicates skipped {counts[services.UNCHANGED]}, failed {len(failed)}."
        )
        for label, reason in failed:
            self.stderr.write(f"  failed: {label}: {reason}")
        for label, note in self.similar:
            self.stdout.write(f"  note: {label}: {note}")
        if self.similar:
            self.stdout.write(
                "  To update those articles instead, run again with --update-similar, or import "
                "the files through the import page, which offers the update."
            )
        if failed:
            raise CommandError(f"{len(failed)} input(s) could not be imported.", returncode=1)

    def _jobs(self, sources: list[str], user) -> tuple[list[Job], list[tuple[str, str]]]:
        jobs: list[Job] = []
        failed: list[tuple[str, str]] = []
        for source in sources:
            if source.lower().startswith(("http://", "https://")):
                jobs.append(Job(source, lambda url=source: services.article_import_url(url=url, user=user, project=self.project)))
                continue
            path = Path(source)
            if not path.exists():
                failed.append((source, "no such file or folder"))
                continue
            files = (
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
                if path.is_dir()
                else [path]
            )
            for file in files:
                if file.suffix.lower() == ".jsonl":
                    try:
                        jobs.extend(self._jsonl_jobs(file, user))
                    except ImportFailed as error:
                        failed.append((str(file), str(error)))
                else:
                    jobs.append(Job(str(file), lambda f=file: self._file_job(f, user)))
        return jobs, failed

    def _file_job(self, path: Path, user):
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise ImportFailed(
                f"larger than {settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB; nothing was imported."
            )
        raw = path.read_bytes()
        match = None
        if self.update_similar:
            prepared = services.prepare_input(raw, filename=path.name)
            match = services.similar_to_input(
                prepared=prepared, filename=path.name, project=self.project
            )
        outcome = services.article_import(
            raw=raw,
            user=user,
            filename=path.name,
            project=self.project,
            update_of=match.article if match else None,
        )
        if outcome.status == services.IMPORTED and not outcome.article.source_url:
            # An edited copy of a file imported before is a second article unless asked.
            earlier = similar_article(
                project=self.project, title=outcome.article.title, text=outcome.article.text
            )
            if earlier is not None:
                self.similar.append(
                    (
                        str(path),
                        f"imported as a new article, but it looks like an edited copy of "
                        f"“{earlier.article.title}” (article {earlier.article.pk}, "
                        f"{earlier.similarity:.0f}% alike).",
                    )
                )
        return outcome

    def _jsonl_jobs(self, path: Path, user) -> Iterator[Job]:
        if path.stat().st_size > 50 * settings.IMPORT_MAX_BYTES:
            raise ImportFailed("the .jsonl file is too large to read.")
        with path.open(encoding="utf-8", errors="strict") as lines:
            try:
                rows = list(enumerate(lines, start=1))
            except UnicodeDecodeError as error:
                raise ImportFailed(f"not UTF-8 text ({error.reason}).") from error
        for number, line in rows:
            if line.strip():
                yield Job(f"{path}:{number}", lambda line=line, n=number: self._row_job(line, n, user))

    def _row_job(self, line: str, number: int, user):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFailed(f"line {number} is not valid JSON ({error.msg}).") from error
        if not isinstance(row, dict):
            raise ImportFailed(f"line {number} is not a JSON object.")
        html, text = row.get("html"), row.get("text")
        body = html if isinstance(html, str) and html.strip() else text
        if not isinstance(body, str) or not body.strip():
            raise ImportFailed(f"line {number} has neither “html” nor “text”.")
        url = row.get("url") or ""
        if not isinstance(url, str):
            raise ImportFailed(f"line {number}: “url” must be a string.")
        metadata = services.Metadata(
            title=row.get("title") if isinstance(row.get("title"), str) else "",
            published=_published(row.get("published")),
        )
        return services.article_import(
            raw=body.encode("utf-8"),
            user=user,
            url=url,
            filename="row.html" if body is html else "row.txt",
            charset="utf-8",
            metadata=metadata,
            project=self.project,
        )
