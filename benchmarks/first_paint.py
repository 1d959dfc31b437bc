"""First paint of the reading page in Chromium, hot article vs its cold twin; select → highlight.

Usage (from the project root, after benchmarks/seed_data.py):
    .venv/bin/python benchmarks/first_paint.py --db sqlite [--name stance_bench] [--quick]

The site runs under gunicorn (benchmark settings) on 127.0.0.1; Playwright drives
Debian's Chromium, headless, logged in as a bench user through a session cookie.
For each article, alternating, a fresh tab loads the page and reads the
Performance API: first-contentful-paint and the navigation's domContentLoaded
and load ends, relative to the navigation start. Then, on the cold twin and on the
hot article, a phrase is selected with the mouse and `1` pressed; the time from
the keydown to the new `<mark>` in the DOM is taken inside the page (the logic
of tests/browser/test_select_to_visible.py). The annotations made are deleted.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}

# Resolves once the first contentful paint has been recorded and the load event has ended.
TIMINGS = """
async () => {
  const fcp = () => performance.getEntriesByName("first-contentful-paint")[0];
  const nav = () => performance.getEntriesByType("navigation")[0];
  for (let i = 0; i < 600 && (!fcp() || !nav() || !nav().loadEventEnd); i++) {
    await new Promise((done) => setTimeout(done, 10));
  }
  const n = nav();
  return {
    fcp: fcp() ? fcp().startTime : null,
    domContentLoaded: n.domContentLoadedEventEnd,
    load: n.loadEventEnd,
    marks: document.querySelectorAll("#article-body mark").length,
  };
}
"""

# A new highlight is a <mark> over a stretch no mark covered before the key press
# (counting marks is not enough: on a crowded article a new span may only re-split).
WATCH = """
() => {
  window.__timing = {};
  const ids = () => new Set(Array.from(
    document.querySelectorAll("#article-body mark[data-start]"),
    (mark) => `${mark.dataset.start}-${mark.dataset.end}`,
  ));
  const seen = ids();
  document.addEventListener("keydown", (event) => {
    if (event.key === "1" && !("pressed" in window.__timing)) window.__timing.pressed = performance.now();
  }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    for (const id of ids()) {
      if (!seen.has(id)) {
        window.__timing.inDom = performance.now();
        observer.disconnect();
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__timing.painted = performance.now(); }));
        return;
      }
    }
  });
  observer.observe(document.querySelector(".reading"), { childList: true, subtree: true });
}
"""


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def phrases(text: str, count: int) -> list[str]:
    """Runs of six words, one per paragraph, each found once in the text."""
    found = []
    for paragraph in text.split("\n\n"):
        words = list(re.finditer(r"\S+", paragraph))
        if len(words) < 10:
            continue
        phrase = paragraph[words[2].start() : words[7].end()]
        if text.count(phrase) == 1:
            found.append(phrase)
        if len(found) == count:
            break
    return found


def load_times(context, base: str, paths: dict[str, str], iterations: int) -> dict:
    samples: dict[str, dict[str, list[float]]] = {
        key: {"fcp": [], "domContentLoaded": [], "load": []} for key in paths
    }
    marks: dict[str, int] = {}
    for round_ in range(iterations + 1):
        for key, path in paths.items():
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            timing = page.evaluate(TIMINGS)
            page.close()
            marks[key] = timing["marks"]
            if round_ == 0:  # the first round warms the server and the browser's cache
                continue
            for name in ("fcp", "domContentLoaded", "load"):
                if timing[name] is not None:
                    samples[key][name].append(timing[name])
    result: dict = {"iterations": iterations}
    for key, values in samples.items():
        result[f"{key}_marks"] = marks[key]
        for name, series in values.items():
            result[f"{key}_{name}_ms"] = _median(series)
    return result


def select_to_visible(context, base: str, path: str, text: str, tries: int) -> dict:
    from playwright.sync_api import expect

    from tests.browser.helpers import drag_select

    page = context.new_page()
    page.set_viewport_size(VIEWPORT)
    page.goto(base + path, wait_until="load")
    in_dom: list[float] = []
    painted: list[float] = []
    for index, phrase in enumerate(phrases(text, tries + 1)):
        drag_select(page, phrase)
        expect(page.locator("#toolbar")).to_be_visible()
        page.evaluate(WATCH)
        page.keyboard.press("1")
        page.wait_for_function(
            "() => window.__timing.painted !== undefined", timeout=30_000, polling=5
        )
        timing = page.evaluate("() => window.__timing")
        if index:  # the first save warms the server
            in_dom.append(timing["inDom"] - timing["pressed"])
            painted.append(timing["painted"] - timing["pressed"])
        page.wait_for_timeout(300)  # under the saves per second a user may make
    page.close()
    return {
        "tries": len(in_dom),
        "in_dom_ms": [round(v, 1) for v in in_dom],
        "in_dom_median_ms": _median(in_dom),
        "painted_median_ms": _median(painted),
    }


def measure(db: str, name: str, iterations: int, tries: int) -> dict:
    from playwright.sync_api import sync_playwright

    from annotations.models import Annotation
    from benchmarks.httpload import Gunicorn, session_cookie
    from benchmarks.perf import _users
    from benchmarks.seed_data import COLD_SLUG, HOT_SLUG
    from reader.models import Article

    user = _users()[0]
    session = session_cookie(user)
    paths = {"hot": f"/articles/{HOT_SLUG}/", "cold": f"/articles/{COLD_SLUG}/"}
    texts = {
        key: Article.objects.get(slug=slug).text
        for key, slug in (("hot", HOT_SLUG), ("cold", COLD_SLUG))
    }
    began = time.perf_counter()
    try:
        with Gunicorn(db, name, workers=2) as server, sync_playwright() as playwright:
            base = f"http://127.0.0.1:{server.port}"
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport=VIEWPORT)
            context.add_cookies(
                [{"name": "sessionid", "value": session, "url": base, "httpOnly": True}]
            )
            paint = load_times(context, base, paths, iterations)
            select = {
                key: select_to_visible(context, base, paths[key], texts[key], tries)
                for key in ("cold", "hot")
            }
            version = browser.version
            browser.close()
    finally:
        Annotation.objects.filter(
            user=user, article__slug__in=[HOT_SLUG, COLD_SLUG], created__gte=_since(began)
        ).delete()
    return {
        "chromium": version,
        **paint,
        "fcp_ratio": (
            round(paint["hot_fcp_ms"] / paint["cold_fcp_ms"], 3)
            if paint["hot_fcp_ms"] and paint["cold_fcp_ms"]
            else None
        ),
        "select": select,
        "seconds": round(time.perf_counter() - began, 1),
    }


def _since(perf_began: float):
    import datetime as dt

    return dt.datetime.now(dt.UTC) - dt.timedelta(seconds=time.perf_counter() - perf_began + 5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, required=True)
    parser.add_argument("--name", default="stance_bench")
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"No Chromium at {CHROMIUM}: install Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the ORM calls are still plain.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    benchenv.setup_django(args.db, args.name)
    figures = measure(args.db, args.name, 5 if args.quick else 15, 6 if args.quick else 12)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
