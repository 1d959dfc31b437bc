// The reading page: selection → toolbar → htmx save, hotkeys, and moving
// between highlights and their cards. Everything else is server-rendered.
import { selectorFor } from "./offsets.js";

const toolbar = () => document.getElementById("toolbar");
const body = () => document.getElementById("article-body");
let pendingRefresh = false;
let pointerDown = false;
let lastPointer = "mouse";
let touchTimer = 0;

function toolbarOpen() {
  const bar = toolbar();
  return Boolean(bar && !bar.hidden);
}

function currentRange() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const root = body();
  if (!root || (!root.contains(range.commonAncestorContainer) && !range.intersectsNode(root))) {
    return null;
  }
  return range;
}

// A refresh replaces the article body and the list, which would wipe a
// selection being made or annotated, or an edit being typed; it waits until
// the reader is done.
function readerBusy() {
  return toolbarOpen() || pointerDown || currentRange() !== null || document.querySelector("#annotated .edit-form") !== null;
}

function replayRefresh() {
  if (pendingRefresh && !readerBusy()) {
    pendingRefresh = false;
    htmx.trigger(document.body, "annotations-stale");
  }
}

function place(bar, range) {
  if (window.matchMedia("(max-width: 700px)").matches) {
    bar.style.removeProperty("top");
    bar.style.removeProperty("left");
    return;
  }
  const rects = range.getClientRects();
  const rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
  const top = window.scrollY + rect.bottom + 8;
  const maxLeft = window.scrollX + document.documentElement.clientWidth - bar.offsetWidth - 8;
  const left = Math.max(8, Math.min(window.scrollX + rect.left, maxLeft));
  bar.style.top = `${top}px`;
  bar.style.left = `${left}px`;
}

function openToolbar(range) {
  const selector = selectorFor(body(), range);
  const bar = toolbar();
  if (!selector || !bar) return;
  for (const name of ["start", "end", "quote"]) bar.elements[name].value = selector[name];
  document.getElementById("toolbar-error").textContent = "";
  bar.hidden = false;
  place(bar, range);
}

function closeToolbar({ keepSelection = false } = {}) {
  const bar = toolbar();
  if (!bar) return;
  bar.hidden = true;
  bar.reset();
  document.getElementById("toolbar-error").textContent = "";
  if (!keepSelection) window.getSelection()?.removeAllRanges();
  replayRefresh();
}

function save(bar) {
  bar.requestSubmit();
}

function onSelectionSettled() {
  const range = currentRange();
  if (range) openToolbar(range);
  else if (toolbarOpen() && !toolbar().contains(document.activeElement)) {
    closeToolbar({ keepSelection: true });
  }
}

function typing(target) {
  return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function cards() {
  return Array.from(document.querySelectorAll("#annotation-list .card"));
}

// Marks carry their own offsets, cards their annotation's: an annotation's
// marks are those inside its range, and a mark's annotations those around it.
function rangeOf(element) {
  return [Number(element.dataset.start), Number(element.dataset.end)];
}

function marksFor(id) {
  const card = document.getElementById(`ann-${id}`);
  if (!card) return [];
  const [start, end] = rangeOf(card);
  return Array.from(document.querySelectorAll("#article-body mark[data-start]")).filter((mark) => {
    const [a, b] = rangeOf(mark);
    return a >= start && b <= end;
  });
}

function annotationsAt(mark) {
  const [a, b] = rangeOf(mark);
  return cards().filter((card) => {
    const [start, end] = rangeOf(card);
    return start <= a && end >= b;
  });
}

const chooser = () => document.getElementById("chooser");
let chooserReturn = null;

function chooserOpen() {
  const box = chooser();
  return Boolean(box && !box.hidden);
}

function shorten(text, limit) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1).trimEnd()}…`;
}

// A click on an overlap offers every annotation there, as buttons a keyboard can reach.
function openChooser(mark, covering) {
  const box = chooser();
  const list = box.querySelector("ul");
  list.replaceChildren();
  for (const card of covering) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.id = annotationOf(card);
    for (const chip of card.querySelectorAll(".chips .chip")) {
      const clone = chip.cloneNode(true);
      button.append(clone, " ");
    }
    const who = card.querySelector(".author")?.textContent ?? "";
    const quote = card.querySelector(".quote")?.textContent ?? "";
    const text = document.createElement("span");
    text.className = "chooser-text";
    text.textContent = `${who}: “${shorten(quote, 70)}”`;
    button.append(text);
    const item = document.createElement("li");
    item.append(button);
    list.append(item);
  }
  box.querySelector(".chooser-count").textContent = `${covering.length} annotations here`;
  chooserReturn = document.activeElement;
  box.hidden = false;
  const rect = mark.getBoundingClientRect();
  if (!window.matchMedia("(max-width: 700px)").matches) {
    const maxLeft = window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8;
    box.style.top = `${window.scrollY + rect.bottom + 6}px`;
    box.style.left = `${Math.max(8, Math.min(window.scrollX + rect.left, maxLeft))}px`;
  }
  list.querySelector("button")?.focus();
}

function closeChooser({ restoreFocus = true } = {}) {
  const box = chooser();
  if (!box || box.hidden) return;
  box.hidden = true;
  if (restoreFocus && chooserReturn && document.contains(chooserReturn)) chooserReturn.focus({ preventScroll: true });
  chooserReturn = null;
}

function onChooserKey(event) {
  const buttons = Array.from(chooser().querySelectorAll("button"));
  const at = buttons.indexOf(document.activeElement);
  if (event.key === "Escape") {
    event.preventDefault();
    closeChooser();
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp" || event.key === "Tab") {
    // Focus stays inside the list: Tab and the arrows cycle through it.
    event.preventDefault();
    const back = event.key === "ArrowUp" || (event.key === "Tab" && event.shiftKey);
    buttons[(at + (back ? -1 : 1) + buttons.length) % buttons.length]?.focus();
  }
}

// A card's id is "ann-" and its annotation's id.
function annotationOf(card) {
  return card.id.slice(4);
}

function focusAnnotation(id, { fromText = false } = {}) {
  document.querySelectorAll(".is-current").forEach((el) => el.classList.remove("is-current"));
  const card = document.getElementById(`ann-${id}`);
  const marks = marksFor(id);
  marks.forEach((m) => m.classList.add("is-current"));
  if (card) {
    card.classList.add("is-current");
    if (fromText) {
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
      card.focus({ preventScroll: true });
    }
  }
  if (!fromText && marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
}

function step(direction) {
  const list = cards();
  if (!list.length) return;
  const current = list.findIndex((c) => c.classList.contains("is-current"));
  const next = current < 0 ? (direction > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, current + direction));
  focusAnnotation(annotationOf(list[next]));
  list[next].focus({ preventScroll: true });
}

const EXTEND = {
  ArrowLeft: ["backward", "character"],
  ArrowRight: ["forward", "character"],
  ArrowUp: ["backward", "line"],
  ArrowDown: ["forward", "line"],
  Home: ["backward", "lineboundary"],
  End: ["forward", "lineboundary"],
};

// Chromium extends a selection with Shift+arrows only in editable text (or
// with caret browsing on); in the article the page does it itself.
function extendSelection(event) {
  const how = EXTEND[event.key];
  const selection = window.getSelection();
  if (!how || !event.shiftKey || event.metaKey || !selection || selection.rangeCount === 0) return false;
  if (typing(event.target) || !body()?.contains(selection.focusNode)) return false;
  const [direction, unit] = how;
  const wordwise = (event.ctrlKey || event.altKey) && unit === "character";
  event.preventDefault();
  selection.modify("extend", direction, wordwise ? "word" : unit);
  return true;
}

function onToolbarKey(event, bar) {
  if (event.key === "Escape") {
    event.preventDefault();
    closeToolbar();
    return;
  }
  if (event.target === bar.elements.note) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      save(bar);
    }
    return;
  }
  if (typing(event.target) && event.target.type !== "checkbox") return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (/^(Digit|Numpad)[1-9]$/.test(event.code)) {
    const box = bar.querySelector(`input[data-hotkey="${event.code.slice(-1)}"]`);
    if (box) {
      event.preventDefault();
      // Shift+digit collects several stances; a plain digit tags and saves.
      box.checked = event.shiftKey ? !box.checked : true;
      if (!event.shiftKey) save(bar);
    }
    return;
  }
  if (event.key === "n") {
    event.preventDefault();
    bar.elements.note.focus();
    return;
  }
  if (event.key === "Enter" && event.target.tagName !== "BUTTON") {
    event.preventDefault();
    save(bar);
  }
}

document.addEventListener("pointerdown", (event) => {
  lastPointer = event.pointerType || "mouse";
  if (!toolbar()?.contains(event.target)) pointerDown = true;
});
document.addEventListener("pointerup", () => {
  pointerDown = false;
});
document.addEventListener("pointercancel", () => {
  pointerDown = false;
});
document.addEventListener("mouseup", (event) => {
  pointerDown = false;
  if (toolbar()?.contains(event.target)) return;
  setTimeout(onSelectionSettled, 0);
});
document.addEventListener("selectionchange", () => {
  // Touch selections are adjusted with handles that fire no mouseup.
  if (lastPointer === "touch") {
    clearTimeout(touchTimer);
    touchTimer = setTimeout(onSelectionSettled, 400);
  }
  if (!toolbarOpen()) replayRefresh();
});
document.addEventListener("keyup", (event) => {
  if (toolbar()?.contains(event.target)) return;
  const extends_ = event.shiftKey && /^(Arrow|Home|End|Page)/.test(event.key);
  if (extends_ || event.key === "Shift") onSelectionSettled();
});

document.addEventListener("keydown", (event) => {
  if (chooserOpen()) {
    onChooserKey(event);
    return;
  }
  const bar = toolbar();
  if (!bar || extendSelection(event)) return;
  if (toolbarOpen()) {
    onToolbarKey(event, bar);
    return;
  }
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "j") step(1);
  if (event.key === "k") step(-1);
});

document.addEventListener("click", (event) => {
  const bar = toolbar();
  if (!bar) return;
  if (event.target.closest("[data-action=cancel]")) {
    closeToolbar();
    return;
  }
  const toggle = event.target.closest(".stance-toggle input");
  if (toggle && toolbarOpen() && !event.shiftKey && !event.altKey && event.detail > 0) {
    // A plain click on a stance tags and saves at once; Shift+click collects several.
    setTimeout(() => save(bar), 0);
    return;
  }
  const choice = event.target.closest("#chooser button[data-id]");
  if (choice) {
    closeChooser({ restoreFocus: false });
    focusAnnotation(choice.dataset.id, { fromText: true });
    return;
  }
  if (chooserOpen() && !chooser().contains(event.target)) closeChooser({ restoreFocus: false });
  const mark = event.target.closest("#article-body mark[data-start]");
  if (mark && window.getSelection()?.isCollapsed) {
    const covering = annotationsAt(mark);
    if (covering.length > 1) openChooser(mark, covering);
    else if (covering.length === 1) focusAnnotation(annotationOf(covering[0]), { fromText: true });
    return;
  }
  const quote = event.target.closest("#annotation-list .card .quote");
  if (quote) focusAnnotation(annotationOf(quote.closest(".card")));
});

document.body.addEventListener("htmx:beforeRequest", (event) => {
  const source = event.detail.elt;
  if (source && source.id === "annotated" && readerBusy()) {
    event.preventDefault();
    pendingRefresh = true;
  }
});

document.body.addEventListener("htmx:afterSwap", (event) => {
  // Whatever replaced the fragment rendered it afresh.
  if (event.detail.target?.id === "annotated") pendingRefresh = false;
});

document.body.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt !== toolbar()) return;
  const status = event.detail.xhr?.status ?? 0;
  // A refused save (400, 429) keeps the toolbar open with the server's message.
  if (status >= 200 && status < 300) {
    pendingRefresh = false;
    closeToolbar();
  }
});

window.addEventListener("resize", () => {
  const range = currentRange();
  if (range && toolbarOpen()) place(toolbar(), range);
});
