"""Run every issue 6 measurement and the load test; print the table and write RESULTS.md.

Usage (from the project root; `make bench` runs it with the defaults):
    .venv/bin/python benchmarks/run_all.py [--scale 1.0] [--db sqlite|postgres|both]
        [--reseed] [--quick] [--skip-load] [--load-seconds 30] [--export-rows 1000000]
        [--only ROW …] [--projects N] [--results PATH]

ROW is any of: reading, throughput, first_paint, select, create, list, import,
export, memory, load.

Seeds the corpus database (10,000 articles in 100 projects of 100, 1,000,000
annotations at scale 1: benchmarks/out/stance_bench.sqlite3 and PostgreSQL
stance_bench; other scales, and --projects other than 100 articles a project,
get a name of their own, so a full seed is never dropped by a small run) unless
a seed of the same options is there, plus the 100-article reference database
stance_bench_small (one project); existing databases are migrated first.
--projects 1 seeds the single room of before projects. The reading page reads
the hot article of the first project, the list is that project's list
(/p/bench-p000/), both as a member of it. Every target compares
two figures measured in the same run. A sub-benchmark that fails puts its error
in its row and the run goes on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402
from benchmarks.load import passed as load_passed  # noqa: E402

HERE = Path(__file__).resolve().parent
PY = sys.executable
SMALL = "stance_bench_small"
ROWS = (
    "reading",
    "throughput",
    "first_paint",
    "select",
    "create",
    "list",
    "import",
    "export",
    "memory",
    "load",
)
CORPUS_ROWS = {"reading", "throughput", "first_paint", "select", "create", "list", "memory"}
Row = tuple[str, str, str, str, str]
LOADS: list[tuple[str, tuple[float, float, float]]] = []


class StepFailed(RuntimeError):
    pass


def note_load(when: str) -> None:
    LOADS.append((when, os.getloadavg()))


def run(title: str, command: list[str], *, env: dict[str, str] | None = None):
    print(f"== {title}", flush=True)
    began = time.perf_counter()
    done = subprocess.run(
        command, cwd=benchenv.PROJECT_ROOT, capture_output=True, text=True, check=False, env=env
    )
    print(f"   {time.perf_counter() - began:.0f}s, exit {done.returncode}", flush=True)
    note_load(title)
    return done


def step(title: str, command: list[str], *, env: dict[str, str] | None = None) -> dict:
    """Run one sub-benchmark; the JSON object on its last line of output."""
    done = run(title, command, env=env)
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        sys.stderr.write(done.stderr[-3000:])
        raise StepFailed(f"{title}: exit {done.returncode}: {last_error(done.stderr)}") from None


def last_error(stderr: str) -> str:
    """The last line of a traceback or message, short enough for a table cell."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "no output")[:240].replace("|", "/")


def corpus_name(scale: float, projects: int | None = None) -> str:
    name = "stance_bench" if scale == 1 else "stance_bench_s" + f"{scale:g}".replace(".", "_")
    return name if projects is None else f"{name}_p{projects}"


def seed_options(args: argparse.Namespace) -> list[str]:
    projects = [] if args.projects is None else ["--projects", str(args.projects)]
    return ["--scale", str(args.scale), *projects]


def migrate(db: str, name: str) -> None:
    """Bring an existing benchmark database up to the current migrations."""
    title = f"migrate {db} {name}"
    done = run(title, [PY, "manage.py", "migrate", "--noinput"], env=benchenv.environment(db, name))
    if done.returncode:
        raise StepFailed(f"{title}: {last_error(done.stderr)}")


def seed_if_needed(db: str, name: str, options: list[str], reseed: bool) -> dict:
    marker = benchenv.OUT / f"seed-{db}-{name}.json"
    if not reseed and marker.exists() and benchenv.database_exists(db, name):
        recorded = json.loads(marker.read_text())
        if recorded.get("options") == options:
            migrate(db, name)
            return recorded["summary"]
    summary = step(
        f"seed {db} {name} {' '.join(options)}",
        [PY, str(HERE / "seed_data.py"), "--db", db, "--name", name, *options],
    )
    marker.write_text(json.dumps({"options": options, "summary": summary}))
    return summary


def perf(db: str, name: str, measure: str, quick: list[str]) -> dict:
    figures = step(
        f"{measure} {db} {name}",
        [PY, str(HERE / "perf.py"), "--db", db, "--name", name, *quick, measure],
    )
    return figures[measure]


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("inf")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def failed(what: str, error: Exception, target: str) -> Row:
    return (what, f"FAILED: {error}", "", "", f"{target}: MISS")


def reading_rows(db: str, reading: dict) -> list[Row]:
    warm = ratio(reading["hot_ms"], reading["cold_ms"])
    cold = ratio(reading["uncached_hot_ms"], reading["uncached_cold_ms"])
    equal = reading["hot_queries"] == reading["cold_queries"]
    return [
        (
            f"reading page, hot article ({reading['hot_marks']} marks) vs its twin with none [{db}]",
            f"{reading['hot_ms']:.1f} ms, {reading['hot_queries']} queries (fragment cached); "
            f"uncached {reading['uncached_hot_ms']:.1f} ms, {reading['uncached_hot_queries']} queries",
            f"{reading['cold_ms']:.1f} ms, {reading['cold_queries']} queries (cached); "
            f"uncached {reading['uncached_cold_ms']:.1f} ms, {reading['uncached_cold_queries']} queries",
            f"{warm:.2f}× (uncached {cold:.1f}×)",
            f"≤ 2× and queries equal, on the cached page: {verdict(warm <= 2 and equal)}",
        )
    ]


def throughput_rows(db: str, put: dict) -> list[Row]:
    rows = []
    for key, label in (
        ("typical", f"typical article, {put['typical_annotations']} annotations"),
        ("hot", "hot article"),
    ):
        r = ratio(put[key]["per_s"], put["fixed"]["per_s"])
        rows.append(
            (
                f"reading page throughput, {label}, gunicorn 2 workers [{db}]",
                f"{put[key]['per_s']:.1f} req/s (p50 {put[key]['p50_ms']:.0f} ms)",
                f"{put['fixed']['per_s']:.1f} req/s fixed-string view",
                f"{r:.2f}×",
                f"≥ 0.3×: {verdict(r >= 0.3)}",
            )
        )
    return rows


def first_paint_rows(db: str, paint: dict) -> list[Row]:
    r = ratio(paint["hot_fcp_ms"], paint["cold_fcp_ms"])
    return [
        (
            f"first paint, hot article ({paint['hot_marks']} marks), Chromium {paint['chromium']} [{db}]",
            f"FCP {paint['hot_fcp_ms']:.0f} ms; DOMContentLoaded {paint['hot_domContentLoaded_ms']:.0f} ms, "
            f"load {paint['hot_load_ms']:.0f} ms",
            f"FCP {paint['cold_fcp_ms']:.0f} ms; DOMContentLoaded {paint['cold_domContentLoaded_ms']:.0f} ms, "
            f"load {paint['cold_load_ms']:.0f} ms (twin with none; medians of {paint['iterations']})",
            f"{r:.2f}× (load {ratio(paint['hot_load_ms'], paint['cold_load_ms']):.2f}×)",
            f"FCP ≤ 1.5×: {verdict(r <= 1.5)}",
        )
    ]


def select_rows(db: str, paint: dict) -> list[Row]:
    rows = []
    for key, label in (("cold", "article with no highlight"), ("hot", "hot article")):
        select = paint["select"][key]
        rows.append(
            (
                f"select → highlight in the DOM, {label}, Chromium [{db}]",
                f"median {select['in_dom_median_ms']:.0f} ms over {select['tries']} saves",
                f"painted {select['painted_median_ms']:.0f} ms (next frame after)",
                "",
                f"median ≤ 100 ms: {verdict(select['in_dom_median_ms'] <= 100)}",
            )
        )
    return rows


def create_rows(db: str, create: dict) -> list[Row]:
    rows = []
    for kind, label in (("htmx", "htmx, page patched in place"), ("plain", "plain POST, redirect")):
        for p in ("p50", "p95"):
            r = ratio(create[f"{kind}_{p}_ms"], create[f"orm_{p}_ms"])
            rows.append(
                (
                    f"create annotation {p} ({label}; article with {create['article_annotations']}) [{db}]",
                    f"{create[f'{kind}_{p}_ms']:.1f} ms",
                    f"{create[f'orm_{p}_ms']:.2f} ms ORM insert"
                    + (
                        f"; a logged-in no-op POST: {create[f'noop_{p}_ms']:.1f} ms"
                        if f"noop_{p}_ms" in create
                        else ""
                    ),
                    f"{r:.1f}×",
                    f"≤ 3×: {verdict(r <= 3)}",
                )
            )
    return rows


def list_rows(db: str, big: dict, small: dict) -> list[Row]:
    rows = []
    # The reference for the list and for every search is the list at
    # 100 articles; the same search there is shown beside it for context (its
    # page can hold far fewer results than a full one).
    reference = small["list_ms"]
    for key in [k for k in big if k.endswith("_ms")]:
        r = ratio(big[key], reference)
        same = "" if key == "list_ms" else f"; the same search there: {small[key]:.1f} ms"
        queries = key.removesuffix("_ms") + "_queries"
        counted = f", {big[queries]} queries" if queries in big else ""
        within = (
            f" ({big['project_articles']:,} in its project of {big['projects']})"
            if "projects" in big
            else ""
        )
        rows.append(
            (
                f"article {key.removesuffix('_ms')} at {big['articles']:,} articles{within} / "
                f"{big['annotations']:,} annotations [{db}]",
                f"{big[key]:.1f} ms{counted}",
                f"list {reference:.1f} ms at {small['articles']:,} articles{same}",
                f"{r:.2f}×",
                f"≤ 2×: {verdict(r <= 2)}",
            )
        )
    return rows


def memory_rows(db: str, memory: dict) -> list[Row]:
    return [
        (
            f"memory: peak RSS of a gunicorn worker after {memory['requests']:,} mixed requests [{db}]",
            f"{memory['peak_rss_mb']:.0f} MB",
            f"{memory['start_rss_mb']:.0f} MB at start; statuses {memory['statuses']}",
            "",
            f"< 250 MB: {verdict(memory['peak_rss_mb'] < 250)}",
        )
    ]


def import_rows(imported: dict) -> list[Row]:
    r = ratio(imported["pipeline_per_s"], imported["trafilatura_per_s"])
    return [
        (
            f"import, {imported['pages']} pages of extraction-bench/dev",
            f"{imported['pipeline_per_s']:.1f} articles/s (whole pipeline, prepare_text)",
            f"{imported['trafilatura_per_s']:.1f} pages/s plain trafilatura.extract",
            f"{r:.2f}×",
            f"≥ 0.8×: {verdict(r >= 0.8)}",
        )
    ]


EXPORTED = re.compile(
    r"Rows exported: (?P<rows>[\d,]+).*?"
    r"Stance Reader CSV export: (?P<seconds>[\d.]+) s, (?P<rate>[\d,]+) rows/s.*?"
    r"peak RSS (?P<peak>[\d.]+) MB.*?"
    r"Database's own dump \((?P<how>.*?)\): (?P<dump_seconds>[\d.]+) s, (?P<dump_rate>[\d,]+) rows/s",
    re.S,
)


def export(db: str, rows: int, repeat: int) -> dict:
    """benchmarks/export.py on a database of its own (it refills whatever it is pointed at)."""
    name = "stance_bench_export" if rows == 1_000_000 else f"stance_bench_export_{rows}"
    env = benchenv.environment(db, name)
    if db == "sqlite" and rows == 1_000_000:
        from benchmarks.export import DEFAULT_SQLITE

        env["DATABASE_URL"] = f"sqlite:///{DEFAULT_SQLITE}"
    if db == "postgres" and not benchenv.database_exists(db, name):
        benchenv.recreate_database(db, name)
    title = f"export {db} {rows:,} rows"
    done = run(
        title,
        [PY, "-m", "benchmarks.export", "--rows", str(rows), "--repeat", str(repeat)],
        env=env,
    )
    found = EXPORTED.search(done.stdout)
    if found is None:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-3000:])
        raise StepFailed(
            f"{title}: exit {done.returncode}: {last_error(done.stderr or done.stdout)}"
        )
    number = lambda key: float(found[key].replace(",", ""))  # noqa: E731
    return {
        "rows": int(number("rows")),
        "seconds": number("seconds"),
        "rows_per_s": number("rate"),
        "peak_mb": number("peak"),
        "dump_how": found["how"],
        "dump_seconds": number("dump_seconds"),
        "dump_rows_per_s": number("dump_rate"),
        "annotations": rows,
        "repeat": repeat,
    }


def export_rows(db: str, figures: dict) -> list[Row]:
    r = ratio(figures["rows_per_s"], figures["dump_rows_per_s"])
    ok = r >= 0.5 and figures["peak_mb"] < 200
    return [
        (
            f"CSV export, {figures['rows']:,} rows (the shared ones of "
            f"{figures['annotations']:,} annotations) [{db}]",
            f"{figures['rows_per_s']:,.0f} rows/s ({figures['seconds']:.1f} s), "
            f"peak RSS {figures['peak_mb']:.0f} MB",
            f"{figures['dump_rows_per_s']:,.0f} rows/s, {figures['dump_how']}",
            f"{r:.2f}×",
            f"≥ 0.5× and < 200 MB: {verdict(ok)}",
        )
    ]


def load_rows(db: str, result: dict) -> list[Row]:
    clean = load_passed(result)
    return [
        (
            f"load: {result['users']} users, {result['workers']} workers, {result['seconds']:.0f} s [{db}]",
            f"{result['requests_per_s']} req/s, p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms",
            f"errors {result['errors']}, 500s {result['server_errors_500']}, "
            f"locked {result['database_locked']}, 429s {result['rate_limited_429']}",
            f"acknowledged live {result['acknowledged_live']}, deleted {result['acknowledged_deleted']}; "
            f"missing {result['missing']}, stale {result['stale']}, "
            f"resurrected {result['deleted_but_present']}, unacknowledged {result['unacknowledged_present']}",
            f"nothing lost, no error: {verdict(clean)}",
        )
    ]


def measure_database(
    db: str, name: str, wanted: set[str], args: argparse.Namespace, figures: dict, errors: dict
) -> list[Row]:
    """Every wanted row of one database; a failed measurement becomes a row with its error."""
    quick = ["--quick"] if args.quick else []
    rows: list[Row] = []

    def attempt(key: str, what: str, target: str, measure: Callable[[], list[Row]]) -> None:
        try:
            rows.extend(measure())
        except Exception as error:  # noqa: BLE001 - one broken benchmark must not stop the others
            errors[f"{key} {db}"] = f"{type(error).__name__}: {error}"
            rows.append(failed(f"{what} [{db}]", error, target))

    if wanted & CORPUS_ROWS:
        try:
            figures["seed"] = seed_if_needed(db, name, seed_options(args), args.reseed)
        except Exception as error:  # noqa: BLE001
            errors[f"seed {db}"] = str(error)
            return [failed(f"seed {db} {name}", error, "every row of this database")]

    def measured(measure: str) -> dict:
        figures[measure] = perf(db, name, measure, quick)
        return figures[measure]

    def browser() -> dict:
        if "browser" not in figures:
            figures["browser"] = step(
                f"first paint and select {db}",
                [PY, str(HERE / "first_paint.py"), "--db", db, "--name", name, *quick],
            )
        return figures["browser"]

    def listing() -> list[Row]:
        seed_if_needed(db, SMALL, ["--articles", "100", "--annotations", "10000"], args.reseed)
        figures["list_reference"] = perf(db, SMALL, "list", quick)
        return list_rows(db, measured("list"), figures["list_reference"])

    def exporting() -> list[Row]:
        figures["export"] = export(db, args.export_rows, 1 if args.quick else 3)
        return export_rows(db, figures["export"])

    plan: dict[str, tuple[str, str, Callable[[], list[Row]]]] = {
        "reading": (
            "reading page, hot article",
            "≤ 2×",
            lambda: reading_rows(db, measured("reading")),
        ),
        "throughput": (
            "reading page throughput",
            "≥ 0.3×",
            lambda: throughput_rows(db, measured("throughput")),
        ),
        "first_paint": (
            "first paint with highlights (Chromium)",
            "≤ 1.5×",
            lambda: first_paint_rows(db, browser()),
        ),
        "select": (
            "select → highlight visible (Chromium)",
            "median ≤ 100 ms",
            lambda: select_rows(db, browser()),
        ),
        "create": ("create annotation", "≤ 3×", lambda: create_rows(db, measured("create"))),
        "list": ("article list and search", "≤ 2×", listing),
        "export": (f"CSV export, {args.export_rows:,} rows", "≥ 0.5×; < 200 MB", exporting),
        "memory": (
            "memory: peak RSS of a gunicorn worker",
            "< 250 MB",
            lambda: memory_rows(db, measured("memory")),
        ),
    }
    for key, (what, target, measure) in plan.items():
        if key in wanted:
            attempt(key, what, target, measure)
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| what | measured | reference | ratio | target |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine(began_at: dt.datetime) -> str:
    memory = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    import django

    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    loads = [load for _, load in LOADS]
    one_minute = [load[0] for load in loads]
    return "\n".join(
        [
            f"- machine: `{uname or ' '.join(platform.uname())}`",
            f"- cores (nproc): {os.cpu_count()}, memory: {memory}",
            f"- Python {platform.python_version()}, Django {django.get_version()}",
            f"- date: {began_at.isoformat(timespec='seconds')} (start, UTC)",
            "- load average (1, 5, 15 min) at the start "
            f"{tuple(round(x, 2) for x in loads[0])}, at the end "
            f"{tuple(round(x, 2) for x in loads[-1])}; 1-minute load after each step "
            f"between {min(one_minute):.1f} and {max(one_minute):.1f} on {os.cpu_count()} cores "
            "(other work was running on the machine)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", choices=[*benchenv.DATABASES, "both"], default="both")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--load-seconds", type=float, default=30.0)
    parser.add_argument("--export-rows", type=int, default=1_000_000)
    parser.add_argument("--only", nargs="+", choices=ROWS, metavar="ROW", help=", ".join(ROWS))
    parser.add_argument(
        "--projects",
        type=int,
        help="projects the corpus is spread over (default: 100 articles each); "
        "1: the single room of before projects",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=HERE / "RESULTS.md",
        help="where the report goes (default benchmarks/RESULTS.md, which it replaces)",
    )
    args = parser.parse_args(argv)
    began, began_at = time.perf_counter(), dt.datetime.now(dt.UTC)
    note_load("start")
    wanted = set(args.only or ROWS) - ({"load"} if args.skip_load else set())
    databases = benchenv.DATABASES if args.db == "both" else (args.db,)
    quick = ["--quick"] if args.quick else []
    name = corpus_name(args.scale, args.projects)
    rows: list[Row] = []
    raw: dict = {"errors": {}}
    for db in databases:
        raw[db] = {}
        rows += measure_database(db, name, wanted, args, raw[db], raw.setdefault("errors", {}))
    if "import" in wanted:
        try:
            raw["import"] = perf(databases[0], SMALL, "import", quick)
            rows += import_rows(raw["import"])
        except Exception as error:  # noqa: BLE001
            raw["errors"]["import"] = str(error)
            rows.append(failed("import", error, "≥ 0.8×"))
    load_table: list[Row] = []
    if "load" in wanted:
        for db in databases:
            command = [PY, str(HERE / "load.py"), "--db", db, "--seconds", str(args.load_seconds)]
            try:
                raw[f"load_{db}"] = step(f"load test {db}", command)
                load_table += load_rows(db, raw[f"load_{db}"])
            except Exception as error:  # noqa: BLE001
                raw["errors"][f"load {db}"] = str(error)
                load_table.append(failed(f"load test [{db}]", error, "nothing lost, no error"))
    note_load("end")
    command = " ".join(
        shlex.quote(a)
        for a in [
            ".venv/bin/python",
            "benchmarks/run_all.py",
            *(argv if argv is not None else sys.argv[1:]),
        ]
    )
    raw["load_average"] = LOADS
    passed = sum(row[4].endswith("PASS") for row in rows)
    report = "\n\n".join(
        [
            "# Benchmark results (issue 6; load test of issue 5 §5)",
            machine(began_at),
            f"Command: `{command}` — took {time.perf_counter() - began:.0f} s. "
            "Each ratio compares two figures measured side by side in this run.",
            f"## Targets ({passed} of {len(rows)} rows PASS)",
            table(rows),
            *(["## Load test", table(load_table)] if load_table else []),
            "## Raw figures",
            "```json\n" + json.dumps(raw, indent=1) + "\n```",
        ]
    )
    print(table(rows))
    if load_table:
        print(table(load_table))
    args.results.write_text(report + "\n", encoding="utf-8")
    print(f"Wrote {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
