"""What a person does on the reading page, as Playwright steps."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# Finds a phrase in the article body and returns where its first and last
# characters are on screen. Only the coordinates come from script; the
# selection itself is then made with the real mouse or keyboard.
_LOCATE = """
([phrase, scroll]) => {
  const body = document.getElementById("article-body");
  const nodes = [];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let text = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, text.length]);
    text += walker.currentNode.data;
  }
  const at = text.indexOf(phrase);
  if (at < 0) return null;
  const point = (index) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      if (nodes[i][1] <= index) return [nodes[i][0], index - nodes[i][1]];
    }
  };
  const rectOf = (index, units) => {
    const [node, offset] = point(index);
    const range = document.createRange();
    range.setStart(node, offset);
    range.setEnd(node, offset + units);
    const rects = range.getClientRects();
    const r = rects[rects.length - 1];
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const firstUnits = phrase.codePointAt(0) > 0xffff ? 2 : 1;
  const lastUnits = /[\\udc00-\\udfff]$/.test(phrase) ? 2 : 1;
  if (scroll) point(at)[0].parentElement.scrollIntoView({ block: "center" });
  return {
    first: rectOf(at, firstUnits),
    last: rectOf(at + phrase.length - lastUnits, lastUnits),
  };
}
"""


@dataclass
class Box:
    left: float
    right: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def phrase_boxes(page: Page, phrase: str, *, scroll: bool = True) -> tuple[Box, Box]:
    found = page.evaluate(_LOCATE, [phrase, scroll])
    assert found is not None, f"{phrase!r} is not in the article body"
    return Box(**found["first"]), Box(**found["last"])


def drag_select(page: Page, phrase: str, *, until: str | None = None) -> None:
    """Selects a phrase by pressing the mouse before its first character and
    releasing it after its last (or after the last of `until`), as a reader does."""
    first, last = phrase_boxes(page, phrase)
    if until is not None:
        _, last = phrase_boxes(page, until, scroll=False)
    page.mouse.move(first.left + 1, first.middle)
    page.mouse.down()
    page.mouse.move((first.left + last.right) / 2, (first.middle + last.middle) / 2, steps=4)
    page.mouse.move(last.right - 1, last.middle, steps=4)
    page.mouse.up()


def click_before(page: Page, phrase: str) -> None:
    """Places the caret just before a phrase with a click."""
    first, _ = phrase_boxes(page, phrase)
    page.mouse.click(first.left + 0.5, first.middle)


def selected_text(page: Page) -> str:
    return page.evaluate("() => window.getSelection().toString()")


def toolbar_open(page: Page) -> bool:
    return page.locator("#toolbar").is_visible()


def htmx_settled(page: Page) -> None:
    """Waits until htmx has no request in flight and has finished swapping and settling.

    A response arriving is not the page being ready: until the swap is done, the script
    that follows a save can still clear the selection the next step makes."""
    page.wait_for_function(
        "() => !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def highlight(annotation) -> str:
    """A Playwright selector for the <mark> segments inside an annotation's range.

    Marks carry their own offsets, not annotation ids (see annotations/rendering.py);
    the ``highlight`` engine is registered in conftest.py."""
    return f"highlight={annotation.start}:{annotation.end}"
