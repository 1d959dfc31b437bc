"""Measures (never asserts) how long a hotkey save takes to show its highlight.

From the keydown of `1` to the new `<mark>` being in the DOM (MutationObserver),
and to the next animation frame after it (when it is painted), timed with
performance.now() inside the page. Prints the figures and writes them to
benchmarks/out/select_to_visible.json.
"""

from __future__ import annotations

import json
import statistics

from django.db import connection
from playwright.sync_api import expect

from annotations.models import Annotation

from .conftest import BENCH_OUT
from .helpers import drag_select

PHRASES = [
    "Russia’s Foreign Minister has called the decision",
    "Sergey Lavrov said Ban Ki-Moon’s rescind",
    "Iran has so far been Bashar Al-Assad's main regional ally",
    "The talks due to begin in Montreux",
    "This story hasn't helped strengthen the UN authority",
    "The unease over the offer highlights the different views",
    "Russia has been a key ally to Syria during the crisis",
    "Mr Lavrov reiterated that Russia considers it essential",
    "The absence of Iran isn't going to help strengthen the unity",
    "The Foreign Minister also insisted that Russia is not supplying Syria",
    "Damascus has denied all the claims of abuse.",
]

WATCH = """
() => {
  window.__timing = {};
  const seen = document.querySelectorAll("#article-body mark").length;
  document.addEventListener("keydown", (event) => {
    if (event.key === "1" && !("pressed" in window.__timing)) window.__timing.pressed = performance.now();
  }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll("#article-body mark").length > seen) {
      window.__timing.inDom = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__timing.painted = performance.now(); }));
    }
  });
  observer.observe(document.querySelector(".reading"), { childList: true, subtree: true });
}
"""


def test_measure_select_to_visible(seed_article, alice, user_page):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    # The first save also warms up the server (template compilation, connections).
    dom_ms: list[float] = []
    painted_ms: list[float] = []
    for index, phrase in enumerate(PHRASES):
        drag_select(page, phrase)
        expect(page.locator("#toolbar")).to_be_visible()
        page.evaluate(WATCH)
        page.keyboard.press("1")
        page.wait_for_function("() => window.__timing.painted !== undefined")
        expect(page.locator("#toolbar")).to_be_hidden()
        timing = page.evaluate("() => window.__timing")
        if index:
            dom_ms.append(timing["inDom"] - timing["pressed"])
            painted_ms.append(timing["painted"] - timing["pressed"])
        # Stay under the 4 saves a second a user may make.
        page.wait_for_timeout(260)
    assert Annotation.objects.filter(user=alice).count() == len(PHRASES)

    result = {
        "what": "keydown of '1' on a selection → new <mark> in the DOM / painted (ms), seed article",
        "tries": len(dom_ms),
        "in_dom_ms": [round(v, 1) for v in dom_ms],
        "painted_ms": [round(v, 1) for v in painted_ms],
        "in_dom_median_ms": round(statistics.median(dom_ms), 1),
        "painted_median_ms": round(statistics.median(painted_ms), 1),
        "database": connection.vendor,
    }
    BENCH_OUT.mkdir(parents=True, exist_ok=True)
    (BENCH_OUT / "select_to_visible.json").write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"\nselect-to-visible over {result['tries']} saves: median {result['in_dom_median_ms']} ms "
        f"to the <mark> in the DOM, {result['painted_median_ms']} ms to painted "
        f"({result['database']})"
    )
