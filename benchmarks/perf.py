"""Issue 6 measurements on one seeded benchmark database; prints one JSON object.

Usage (from the project root, after benchmarks/seed_data.py):
    .venv/bin/python benchmarks/perf.py --db sqlite [--name stance_bench] [--quick] MEASURE…

MEASURE is any of: reading, create, list, import, throughput, memory.
Each measurement times the thing and its reference side by side, alternating,
in the same process; benchmarks/run_all.py turns the figures into the table.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402
from benchmarks.httpload import (  # noqa: E402
    Gunicorn,
    LoadResult,
    auth_headers,
    hammer,
    median,
    percentile,
    run_threads,
    send,
    session_cookie,
)

SEARCHES = ("government", "military officials")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _users():
    from django.contrib.auth import get_user_model

    return list(get_user_model().objects.filter(username__startswith="bench").order_by("username"))


def _members(project) -> list:
    """The bench users who are members of ``project``, in name order."""
    return [u for u in _users() if u.memberships.filter(project=project).exists()]


def _hot_and_cold():
    """The hot article and its cold twin (in the first project of the corpus)."""
    from benchmarks.seed_data import COLD_SLUG, HOT_SLUG
    from reader.models import Article

    return Article.objects.get(slug=HOT_SLUG), Article.objects.get(slug=COLD_SLUG)


def _typical_article():
    """Of the articles bench user 1 can read, the one whose annotation count is the median."""
    from django.db.models import Count

    from benchmarks.seed_data import COLD_SLUG, HOT_SLUG
    from reader.models import Article

    counted = list(
        Article.objects.filter(project__memberships__user=_users()[0])
        .exclude(slug__in=[HOT_SLUG, COLD_SLUG])
        .annotate(n=Count("annotations"))
        .filter(n__gt=0)
        .order_by("n", "pk")
        .values_list("pk", "n")
    )
    pk, count = counted[len(counted) // 2]
    return Article.objects.get(pk=pk), count


def reading(iterations: int) -> dict:
    """Reading page, hot article vs its cold twin, in-process; median server time, queries.

    Measured twice, side by side: with the highlighted fragment served from the
    cache (warm, as a reader who comes back sees it) and with the cache off
    (STANCE_FRAGMENT_CACHE_SECONDS = 0: every request renders every highlight).
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(_users()[0])
    hot, cold = _hot_and_cold()
    paths = {"hot": hot.get_absolute_url(), "cold": cold.get_absolute_url()}
    modes = {"warm": None, "uncached": 0}
    figures: dict[str, float | int] = {}
    times: dict[str, list[float]] = {f"{m}_{k}": [] for m in modes for k in paths}

    def get(mode: str, path: str):
        if modes[mode] is None:
            return client.get(path)
        with override_settings(STANCE_FRAGMENT_CACHE_SECONDS=modes[mode]):
            return client.get(path)

    for mode in modes:
        for key, path in paths.items():
            get(mode, path)  # fills the cache for the warm figures
            with CaptureQueriesContext(connection) as captured:
                response = get(mode, path)
            assert response.status_code == 200, (path, response.status_code)
            prefix = "" if mode == "warm" else "uncached_"
            figures[f"{prefix}{key}_queries"] = len(captured)
            figures[f"{prefix}{key}_marks"] = response.content.count(b"<mark ")
    cpu: dict[str, list[float]] = {name: [] for name in times}
    for _ in range(iterations):
        for mode in modes:
            for key, path in paths.items():
                began, cpu_began = time.perf_counter(), time.process_time()
                get(mode, path)
                times[f"{mode}_{key}"].append(time.perf_counter() - began)
                cpu[f"{mode}_{key}"].append(time.process_time() - cpu_began)
    return {
        "hot_ms": _ms(median(times["warm_hot"])),
        "cold_ms": _ms(median(times["warm_cold"])),
        "uncached_hot_ms": _ms(median(times["uncached_hot"])),
        "uncached_cold_ms": _ms(median(times["uncached_cold"])),
        **figures,
        # This process's CPU time per request (SQLite's work included; PostgreSQL's is the
        # server's): steadier than the wall clock on a machine others are using.
        "process_cpu": {name: _ms(median(values)) for name, values in cpu.items()},
        "iterations": iterations,
    }


def save_form(article, start: int, end: int, stance, *, note: str) -> dict:
    """The toolbar's save form for a shared annotation of article.text[start:end]."""
    return {
        "article": article.pk,
        "start": start,
        "end": end,
        "quote": article.text[start:end],
        "stances": stance.pk,
        "note": note,
        "visibility": "shared",
    }


def create(count: int) -> dict:
    """Create through the site (htmx and plain POST) vs the same insert with the ORM alone.

    Also timed, for the report: a logged-in POST of the same form to a view that
    does nothing and redirects (/bench/noop/), the part of a save that is the
    framework's (middleware, session, user, CSRF, form parsing, redirect).
    """
    from django.core.cache import cache
    from django.db import transaction
    from django.test import Client

    from annotations.anchoring import context
    from annotations.models import Annotation, AnnotationStance, Stance
    from annotations.reading import change_token
    from benchmarks.seed_data import spans

    article, existing = _typical_article()
    users = _members(article.project)
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    stance = Stance.objects.filter(project=article.project).order_by("pk").first()
    rng = random.Random(61)
    selections = list(spans(article.text, count * 4, rng))
    cache.clear()
    times: dict[str, list[float]] = {"htmx": [], "plain": [], "orm": [], "noop": []}
    statuses: dict[str, dict[int, int]] = {"htmx": {}, "plain": {}, "noop": {}}
    started = Annotation.objects.count()
    made_by_orm: list = []
    for n in range(count):
        for kind in ("htmx", "plain", "orm", "noop"):
            start, end = selections.pop()
            user_index = (n * 4 + ("htmx", "plain", "orm", "noop").index(kind)) % len(users)
            data = save_form(article, start, end, stance, note=f"bench note {n}")
            if kind == "htmx":
                # The reading page holds the change token of what it shows (its
                # poller keeps it current), and the toolbar sends it along.
                data["seen"] = change_token(article, users[user_index])
            began = time.perf_counter()
            if kind == "orm":
                with transaction.atomic():
                    prefix, suffix = context(article.text, start, end)
                    row = Annotation.objects.create(
                        article=article,
                        user=users[user_index],
                        start=start,
                        end=end,
                        quote=data["quote"],
                        prefix=prefix,
                        suffix=suffix,
                        note=data["note"],
                        visibility="shared",
                    )
                    AnnotationStance.objects.create(annotation=row, stance=stance)
                times[kind].append(time.perf_counter() - began)
                made_by_orm.append(row.pk)
                continue
            headers = {"HX-Request": "true"} if kind == "htmx" else {}
            url = "/bench/noop/" if kind == "noop" else "/annotations/new/"
            response = clients[user_index].post(url, data, headers=headers)
            times[kind].append(time.perf_counter() - began)
            statuses[kind][response.status_code] = statuses[kind].get(response.status_code, 0) + 1
    created = Annotation.objects.count() - started
    Annotation.objects.filter(article=article, note__startswith="bench note ").delete()
    return {
        "article_annotations": existing,
        "count": count,
        "created": created,
        "statuses": statuses,
        **{f"{kind}_p50_ms": _ms(percentile(values, 0.5)) for kind, values in times.items()},
        **{f"{kind}_p95_ms": _ms(percentile(values, 0.95)) for kind, values in times.items()},
    }


def listing(iterations: int) -> dict:
    """Article list and search of the hot article's project: median server time, queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.models import Annotation
    from projects.models import Project
    from reader.models import Article

    client = Client()
    client.force_login(_users()[0])
    project = _hot_and_cold()[0].project
    home = project.get_absolute_url()
    paths = {"list": home} | {f"search {q}": home + "?" + urlencode({"q": q}) for q in SEARCHES}
    queries = {}
    for key, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        queries[f"{key}_queries"] = len(captured)
    times: dict[str, list[float]] = {key: [] for key in paths}
    cpu: dict[str, list[float]] = {key: [] for key in paths}
    for _ in range(iterations):
        for key, path in paths.items():
            began, cpu_began = time.perf_counter(), time.process_time()
            client.get(path)
            times[key].append(time.perf_counter() - began)
            cpu[key].append(time.process_time() - cpu_began)
    return {
        "articles": Article.objects.count(),
        "annotations": Annotation.objects.count(),
        "projects": Project.objects.filter(articles__isnull=False).distinct().count(),
        "project_articles": Article.objects.filter(project=project).count(),
        **queries,
        **{f"{key}_ms": _ms(median(values)) for key, values in times.items()},
        "process_cpu": {key: _ms(median(values)) for key, values in cpu.items()},
        "iterations": iterations,
    }


def importing(pages: int) -> dict:
    """Articles/s of the import pipeline vs plain trafilatura.extract, on the same pages."""
    import trafilatura

    from reader.importing.pipeline import prepare_text
    from reader.importing.types import ImportFailed

    folder = benchenv.PROJECT_ROOT.parent / "shared" / "extraction-bench" / "dev"
    documents = [
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.html"))
    ][:pages]
    prepare_text(documents[0], kind="html")
    trafilatura.extract(documents[0])
    spent = {"pipeline": 0.0, "trafilatura": 0.0}
    refused = 0
    for document in documents:
        began = time.perf_counter()
        try:
            prepare_text(document, kind="html")
        except ImportFailed:
            refused += 1
        spent["pipeline"] += time.perf_counter() - began
        began = time.perf_counter()
        trafilatura.extract(document)
        spent["trafilatura"] += time.perf_counter() - began
    return {
        "pages": len(documents),
        "refused": refused,
        "pipeline_per_s": round(len(documents) / spent["pipeline"], 2),
        "trafilatura_per_s": round(len(documents) / spent["trafilatura"], 2),
    }


def throughput(db: str, name: str, seconds: float, rounds: int = 4) -> dict:
    """Requests/s under gunicorn (2 workers): reading pages vs a view returning a fixed string.

    Each path is loaded for ``seconds`` in all, in ``rounds`` turns taken in rotation,
    so that a slow spell of the machine falls on the pages and their reference alike.
    """
    article, count = _typical_article()
    headers = auth_headers(session_cookie(_users()[0]))
    paths = {
        "fixed": "/bench/fixed/",
        "typical": article.get_absolute_url(),
        "hot": _hot_and_cold()[0].get_absolute_url(),
    }
    loads = {key: LoadResult() for key in paths}
    with Gunicorn(db, name, workers=2) as server:
        for path in paths.values():
            for _ in range(5):
                assert send(server.port, "GET", path, headers=headers).status == 200, path
        for _ in range(rounds):
            for key, path in paths.items():
                part = hammer(
                    server.port, path, headers=headers, threads=4, seconds=seconds / rounds
                )
                loads[key].replies += part.replies
                loads[key].seconds += part.seconds
    results = {
        key: {
            "per_s": round(result.per_second, 1),
            "p50_ms": _ms(result.percentile(0.5)),
            "p95_ms": _ms(result.percentile(0.95)),
            "statuses": result.statuses(),
        }
        for key, result in loads.items()
    }
    return {"typical_annotations": count, "rounds": rounds, **results}


def memory(db: str, name: str, requests: int) -> dict:
    """Peak RSS of each gunicorn worker after ``requests`` mixed requests."""
    from django.urls import reverse

    from annotations.models import Stance
    from benchmarks.seed_data import spans
    from projects.models import Membership
    from reader.models import Article

    rng = random.Random(62)
    users = _users()
    sessions = [auth_headers(session_cookie(user)) for user in users]
    members: dict[int, list[int]] = {}
    index = {user.pk: n for n, user in enumerate(users)}
    for project_id, user_id in Membership.objects.filter(user__in=users).values_list(
        "project", "user"
    ):
        members.setdefault(project_id, []).append(index[user_id])
    # Each request is made by a member of the project it reads or writes: the pages
    # people use, not 404s for strangers.
    hot = _hot_and_cold()[0]
    articles = list(
        Article.objects.filter(project__in=list(members))
        .values_list("pk", "slug", "project", "project__slug")
        .order_by("?")[:200]
    )
    writable = Article.objects.get(pk=articles[0][0])
    selections = list(spans(writable.text, requests, rng))
    stance = Stance.objects.filter(project=writable.project).order_by("pk").first()
    plan = []
    who = []
    for n in range(requests):
        pk, slug, project_id, project = rng.choice(articles)
        roll = rng.random()
        who.append(rng.choice(members[project_id]))
        home = f"/p/{project}/"
        if roll < 0.05:
            who[-1] = rng.choice(members[hot.project_id])
            plan.append(("GET", hot.get_absolute_url(), None))
        elif roll < 0.45:
            plan.append(("GET", f"{home}articles/{slug}/", None))
        elif roll < 0.60:
            plan.append(("GET", f"{home}?page=" + str(rng.randint(1, 20)), None))
        elif roll < 0.70:
            plan.append(("GET", f"{home}?" + urlencode({"q": rng.choice(SEARCHES)}), None))
        elif roll < 0.80:
            changes = reverse("article_annotations:changes", args=[project, slug])
            plan.append(("GET", f"{changes}?since=x", None))
        elif roll < 0.85:
            plan.append(("GET", f"{home}export/annotations.csv?article={pk}", None))
        else:
            who[-1] = rng.choice(members[writable.project_id])
            start, end = selections[n]
            body = urlencode(
                {
                    "article": writable.pk,
                    "start": start,
                    "end": end,
                    "quote": writable.text[start:end],
                    "stances": stance.pk,
                    "note": f"memory bench {n}",
                }
            )
            plan.append(("POST", "/annotations/new/", body.encode()))
    statuses: dict[int, int] = {}
    cursor = iter(range(len(plan)))

    with Gunicorn(db, name, workers=2) as server:
        before = server.peak_rss_mb()

        def worker(thread: int) -> None:
            for n in cursor:
                method, path, body = plan[n]
                headers = dict(sessions[who[n]])
                if body is not None:
                    headers |= {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "HX-Request": "true",
                    }
                reply = send(server.port, method, path, headers=headers, body=body)
                statuses[reply.status] = statuses.get(reply.status, 0) + 1

        run_threads(4, worker)
        after = server.peak_rss_mb()
    Article.objects.get(pk=writable.pk).annotations.filter(
        note__startswith="memory bench "
    ).delete()
    return {
        "requests": requests,
        "statuses": statuses,
        "start_rss_mb": round(max(before.values()), 1),
        "peak_rss_mb": round(max(after.values()), 1),
        "workers": {str(pid): round(mb, 1) for pid, mb in after.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, required=True)
    parser.add_argument("--name", default="stance_bench")
    parser.add_argument("--quick", action="store_true", help="fewer iterations, for a first look")
    parser.add_argument(
        "measures",
        nargs="+",
        choices=["reading", "create", "list", "import", "throughput", "memory"],
    )
    args = parser.parse_args(argv)
    benchenv.setup_django(args.db, args.name)
    quick = args.quick
    figures: dict[str, dict] = {}
    for measure in args.measures:
        began = time.perf_counter()
        if measure == "reading":
            figures[measure] = reading(20 if quick else 60)
        elif measure == "create":
            figures[measure] = create(30 if quick else 150)
        elif measure == "list":
            figures[measure] = listing(5 if quick else 30)
        elif measure == "import":
            figures[measure] = importing(30 if quick else 151)
        elif measure == "throughput":
            figures[measure] = throughput(args.db, args.name, 4 if quick else 12)
        elif measure == "memory":
            figures[measure] = memory(args.db, args.name, 300 if quick else 1000)
        figures[measure]["seconds"] = round(time.perf_counter() - began, 1)
        print(f"  {measure}: {json.dumps(figures[measure])}", file=sys.stderr)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
