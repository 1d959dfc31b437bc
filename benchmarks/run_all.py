"""Run every issue 6 measurement and the load test; print the table and write RESULTS.md.

Usage (from the project root; `make bench` runs it with the defaults):
    .venv/bin/python benchmarks/run_all.py [--scale 1.0] [--db sqlite|postgres|both]
        [--reseed] [--quick] [--skip-load] [--load-seconds 30]

Seeds benchmarks/out/stance_bench.sqlite3 and PostgreSQL stance_bench (10,000
articles, 1,000,000 annotations at scale 1) unless a seed of the same scale is
there, plus the 100-article reference database stance_bench_small. Every
target compares two figures measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

HERE = Path(__file__).resolve().parent
PY = sys.executable
SMALL = "stance_bench_small"


def step(title: str, command: list[str]) -> dict | list:
    print(f"== {title}", flush=True)
    began = time.perf_counter()
    done = subprocess.run(
        command, cwd=benchenv.PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    sys.stderr.write(done.stderr[-4000:] if done.returncode not in (0, 1) else "")
    lines = done.stdout.strip().splitlines()
    print(f"   {time.perf_counter() - began:.0f}s", flush=True)
    if not lines:
        raise RuntimeError(f"{title} printed nothing:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def seed_if_needed(db: str, name: str, options: list[str], reseed: bool) -> dict:
    marker = benchenv.OUT / f"seed-{db}-{name}.json"
    if not reseed and marker.exists() and benchenv.database_exists(db, name):
        recorded = json.loads(marker.read_text())
        if recorded.get("options") == options:
            return recorded["summary"]
    summary = step(
        f"seed {db} {name} {' '.join(options)}",
        [PY, str(HERE / "seed_data.py"), "--db", db, "--name", name, *options],
    )
    marker.write_text(json.dumps({"options": options, "summary": summary}))
    return summary


def ratio(value: float, reference: float) -> float:
    return value / reference if reference else float("inf")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def rows_for(db: str, figures: dict, small: dict) -> list[tuple[str, str, str, str, str]]:
    """(what, measured, reference, ratio, target and verdict) per target, for one database."""
    rows = []
    reading = figures["reading"]
    r = ratio(reading["hot_ms"], reading["cold_ms"])
    rows.append(
        (
            f"reading page, hot article ({reading['hot_marks']} marks) [{db}]",
            f"{reading['hot_ms']:.1f} ms, {reading['hot_queries']} queries",
            f"{reading['cold_ms']:.1f} ms, {reading['cold_queries']} queries (same article, none)",
            f"{r:.2f}×",
            f"≤ 2× and queries equal: {verdict(r <= 2 and reading['hot_queries'] == reading['cold_queries'])}",
        )
    )
    put = figures["throughput"]
    for key, label in (
        ("typical", f"typical article, {put['typical_annotations']} annotations"),
        ("hot", "hot article"),
    ):
        r = ratio(put[key]["per_s"], put["fixed"]["per_s"])
        rows.append(
            (
                f"reading page throughput, {label} [{db}]",
                f"{put[key]['per_s']:.1f} req/s (p50 {put[key]['p50_ms']:.0f} ms)",
                f"{put['fixed']['per_s']:.1f} req/s fixed-string view",
                f"{r:.2f}×",
                f"≥ 0.3×: {verdict(r >= 0.3)}",
            )
        )
    create = figures["create"]
    for kind, label in (("htmx", "htmx, fragment re-rendered"), ("plain", "plain POST, redirect")):
        for p in ("p50", "p95"):
            r = ratio(create[f"{kind}_{p}_ms"], create[f"orm_{p}_ms"])
            rows.append(
                (
                    f"create annotation {p} ({label}) [{db}]",
                    f"{create[f'{kind}_{p}_ms']:.1f} ms",
                    f"{create[f'orm_{p}_ms']:.2f} ms ORM insert",
                    f"{r:.1f}×",
                    f"≤ 3×: {verdict(r <= 3)}",
                )
            )
    big = figures["list"]
    for key in [k for k in big if k.endswith("_ms")]:
        r = ratio(big[key], small[key])
        rows.append(
            (
                f"article {key.removesuffix('_ms')} at {big['articles']:,} articles / {big['annotations']:,} annotations [{db}]",
                f"{big[key]:.1f} ms",
                f"{small[key]:.1f} ms at {small['articles']:,} articles",
                f"{r:.2f}×",
                f"≤ 2×: {verdict(r <= 2)}",
            )
        )
    memory = figures["memory"]
    rows.append(
        (
            f"memory: peak RSS of a gunicorn worker after {memory['requests']:,} mixed requests [{db}]",
            f"{memory['peak_rss_mb']:.0f} MB",
            f"{memory['start_rss_mb']:.0f} MB at start",
            "",
            f"< 250 MB: {verdict(memory['peak_rss_mb'] < 250)}",
        )
    )
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    lines = ["| what | measured | reference | ratio | target |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    memory = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "?",
    )
    import django

    return "\n".join(
        [
            f"- machine: `{' '.join(platform.uname())}`",
            f"- cores: {os.cpu_count()}, memory: {memory}, load average at the end: {os.getloadavg()}",
            f"- Python {platform.python_version()}, Django {django.get_version()}",
            f"- date: {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
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
    args = parser.parse_args(argv)
    began = time.perf_counter()
    databases = benchenv.DATABASES if args.db == "both" else (args.db,)
    quick = ["--quick"] if args.quick else []
    rows: list[tuple[str, ...]] = []
    raw: dict = {}
    for db in databases:
        seeded = seed_if_needed(db, "stance_bench", ["--scale", str(args.scale)], args.reseed)
        seed_if_needed(db, SMALL, ["--articles", "100", "--annotations", "10000"], args.reseed)
        figures = step(
            f"measure {db}",
            [
                PY,
                str(HERE / "perf.py"),
                "--db",
                db,
                *quick,
                "reading",
                "create",
                "list",
                "throughput",
                "memory",
            ],
        )
        small = step(
            f"measure {db} (100-article reference)",
            [PY, str(HERE / "perf.py"), "--db", db, "--name", SMALL, *quick, "list"],
        )
        raw[db] = {"seed": seeded, **figures, "list_reference": small["list"]}
        rows += rows_for(db, figures, small["list"])
    imported = step(
        "measure import", [PY, str(HERE / "perf.py"), "--db", databases[0], *quick, "import"]
    )["import"]
    raw["import"] = imported
    r = ratio(imported["pipeline_per_s"], imported["trafilatura_per_s"])
    rows.append(
        (
            f"import, {imported['pages']} pages of extraction-bench/dev",
            f"{imported['pipeline_per_s']:.1f} articles/s (prepare_text)",
            f"{imported['trafilatura_per_s']:.1f} pages/s trafilatura.extract",
            f"{r:.2f}×",
            f"≥ 0.8×: {verdict(r >= 0.8)}",
        )
    )
    rows += [
        (
            "first paint with highlights (Chromium)",
            "see tests/browser/ (browser-test engineer)",
            "",
            "",
            "≤ 1.5×",
        ),
        (
            "select → highlight visible (Chromium)",
            "see tests/browser/ (browser-test engineer)",
            "",
            "",
            "median ≤ 100 ms",
        ),
        ("CSV export, 1,000,000 rows", "see benchmarks/export.py", "", "", "≥ 0.5×; < 200 MB"),
    ]
    load_rows = []
    if not args.skip_load:
        for db in databases:
            result = step(
                f"load test {db}",
                [PY, str(HERE / "load.py"), "--db", db, "--seconds", str(args.load_seconds)],
            )
            raw[f"load_{db}"] = result
            clean = all(
                result[k] == 0
                for k in (
                    "errors",
                    "server_errors_500",
                    "database_locked",
                    "missing",
                    "stale",
                    "deleted_but_present",
                    "unacknowledged_present",
                )
            )
            load_rows.append(
                (
                    f"load: {result['users']} users, {result['workers']} workers, {result['seconds']:.0f} s [{db}]",
                    f"{result['requests_per_s']} req/s, p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms",
                    f"errors {result['errors']}, 500s {result['server_errors_500']}, locked {result['database_locked']}, 429s {result['rate_limited_429']}",
                    f"acknowledged live {result['acknowledged_live']}, deleted {result['acknowledged_deleted']}; missing {result['missing']}, stale {result['stale']}, resurrected {result['deleted_but_present']}, unacknowledged {result['unacknowledged_present']}",
                    f"nothing lost, no error: {verdict(clean)}",
                )
            )
    command = " ".join(
        shlex.quote(a)
        for a in [
            ".venv/bin/python",
            "benchmarks/run_all.py",
            *(argv if argv is not None else sys.argv[1:]),
        ]
    )
    report = "\n\n".join(
        [
            "# Benchmark results (issue 6; load test of issue 5 §5)",
            machine(),
            f"Command: `{command}` — took {time.perf_counter() - began:.0f} s. "
            "Each ratio compares two figures measured side by side in this run.",
            "## Targets",
            table(rows),
            *(["## Load test", table(load_rows)] if load_rows else []),
            "## Raw figures",
            "```json\n" + json.dumps(raw, indent=1) + "\n```",
        ]
    )
    print(table(rows))
    if load_rows:
        print(table(load_rows))
    (HERE / "RESULTS.md").write_text(report + "\n", encoding="utf-8")
    print(f"Wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
