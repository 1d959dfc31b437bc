"""Build dev-paste: each HTML page of a development set as a person's select-all
copy gives it, i.e. ``document.body.innerText`` in Chromium with JavaScript off
and no network (every request but the page itself is refused).

Usage: python -m benchmarks.paste_set [dev|dev-dragnet ...] [--force]

The texts are written to benchmarks/out/paste/<set>/NAME.txt (git-ignored: the
pages' text belongs to their publishers and never enters the repository); the
text benchmark builds them when they are missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import extraction_sets as sets  # noqa: E402
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGE_TIMEOUT_MS = 20_000


def build(base: str, *, force: bool = False) -> Path:
    bench = sets.SETS[base]
    out = sets.paste_folder(base)
    out.mkdir(parents=True, exist_ok=True)
    truth = bench.truth()
    todo = [n for n in sorted(truth) if force or not (out / f"{n}.txt").exists()]
    if not todo:
        return out
    from playwright.sync_api import sync_playwright

    print(f"building {len(todo)} pasted pages of {base} into {out}", file=sys.stderr)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(java_script_enabled=False, service_workers="block")
        page = context.new_page()
        current: dict[str, bytes] = {}

        def route(route) -> None:
            request = route.request
            if request.is_navigation_request() and request.url == current.get("url", "").split("#")[0]:
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=current["body"])
            else:
                route.abort()

        context.route("**/*", route)
        for index, name in enumerate(todo):
            url = truth[name].get("url") or f"https://bench.invalid/{name}"
            if not url.startswith(("http://", "https://")):
                url = f"https://bench.invalid/{name}"
            current["url"] = url
            current["body"] = (bench.html / f"{name}.html").read_bytes()
            try:
                page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
                text = page.evaluate("document.body ? document.body.innerText : ''")
            except Exception as error:  # a page Chromium cannot load pastes as nothing
                print(f"  {name}: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
                # Closing a page whose load failed can wait forever: leave it to the
                # browser's close and go on in a new one.
                page = context.new_page()
                text = ""
            (out / f"{name}.txt").write_text(text, encoding="utf-8")
            if index % 100 == 99:
                print(f"  {index + 1}/{len(todo)}", file=sys.stderr)
        browser.close()
    return out


def ensure_paste(base: str) -> Path:
    return build(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(sets.HTML_SETS))
    parser.add_argument("--force", action="store_true", help="rebuild every page")
    args = parser.parse_args()
    for base in args.sets:
        print(build(base, force=args.force))


if __name__ == "__main__":
    main()
