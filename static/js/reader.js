// The reading page: selection → toolbar → htmx save, hotkeys, and moving
// between highlights and their cards. Everything else is server-rendered.
import { canonical, pointAt, position, selectorFor } from "./offsets.js";

// The form is #toolbar; the dialog around it (role="dialog" may not sit on a form) is #toolbar-dialog.
const toolbar = () => document.getElementById("toolbar");
const dialog = () => document.getElementById("toolbar-dialog");
const body = () => document.getElementById("article-body");
let pendingRefresh = false;
let pointerDown = false;
let lastPointer = "mouse";
let touchTimer = 0;

let toolbarReturn = null;
let lastSaved = null;

function toolbarOpen() {
  const box = dialog();
  return Boolean(box && !box.hidden);
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

// One token per opening of the toolbar: a save sent twice (double click, a digit
// pressed twice) carries the same token, and the server answers the repeat with
// the annotation the first one made.
function saveToken() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function shortQuote(quote, limit = 120) {
  const flat = quote.replace(/\s+/g, " ").trim();
  if (flat.length <= limit) return flat;
  const half = Math.floor((limit - 3) / 2);
  return `${flat.slice(0, half).trimEnd()} … ${flat.slice(-half).trimStart()}`;
}

// Opening moves focus into the toolbar (its first stance); a later call for an
// adjusted selection only refreshes what it shows.
function openToolbar(range) {
  const selector = selectorFor(body(), range);
  const bar = toolbar();
  const box = dialog();
  if (!selector || !bar || !box) return;
  const moved = ["start", "end"].some((name) => bar.elements[name].value !== String(selector[name]));
  if (box.hidden || moved) bar.elements.token.value = saveToken();
  for (const name of ["start", "end", "quote"]) bar.elements[name].value = selector[name];
  document.getElementById("toolbar-quote").textContent = shortQuote(selector.quote);
  const opening = box.hidden;
  if (opening) {
    document.getElementById("toolbar-error").textContent = "";
    toolbarReturn = document.activeElement;
    box.hidden = false;
  }
  place(box, range);
  if (opening) focusables()[0]?.focus({ preventScroll: true });
}

function focusables() {
  return Array.from(dialog().querySelectorAll("input:not([type=hidden]), textarea, button"));
}

function closeToolbar({ keepSelection = false, caretAt = null } = {}) {
  const bar = toolbar();
  const box = dialog();
  if (!bar || !box) return;
  const start = Number(bar.elements.start.value);
  box.hidden = true;
  bar.reset();
  document.getElementById("toolbar-error").textContent = "";
  if (!keepSelection) window.getSelection()?.removeAllRanges();
  // Focus goes back where the selection was made: the article (with the caret
  // where the selection began, or after what was saved), or wherever it was.
  const back = toolbarReturn;
  toolbarReturn = null;
  if (back && back.id === "article-body") {
    const root = body();
    root.focus({ preventScroll: true });
    if (!keepSelection) placeCaret(caretAt ?? start);
  } else if (back && document.contains(back) && back !== document.body) {
    back.focus({ preventScroll: true });
  }
  replayRefresh();
}

// ------------------------------------------------------------ the keyboard caret
// Nothing in a page that is not editable shows a caret (unless the browser's caret
// browsing is on), so the article draws its own: a collapsed selection that the
// arrows move, shown by #caret. `s` selects the sentence around it, `{`/`}` the
// sentence before or after, `[`/`]` shrink or grow by a word.

const caretMark = () => document.getElementById("caret");

function canonicalIndexOf(node, offset) {
  return position(canonical(body()), node, offset, false);
}

// Canonical UTF-16 index → a collapsed selection there.
function placeCaret(index) {
  const root = body();
  if (!root || !root.querySelector("[data-offset]")) return;
  const [node, offset] = pointAt(canonical(root), index);
  window.getSelection()?.collapse(node, offset);
  drawCaret();
}

function drawCaret() {
  const mark = caretMark();
  const selection = window.getSelection();
  if (!mark) return;
  const root = body();
  if (!root || document.activeElement !== root || !selection || selection.rangeCount === 0 || !root.contains(selection.focusNode)) {
    mark.hidden = true;
    return;
  }
  const range = document.createRange();
  range.setStart(selection.focusNode, selection.focusOffset);
  let rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
  if (!rect.height) {
    const holder = selection.focusNode.nodeType === Node.TEXT_NODE ? selection.focusNode.parentElement : selection.focusNode;
    const box = holder.getBoundingClientRect();
    rect = { left: box.left, top: box.top, height: parseFloat(getComputedStyle(holder).lineHeight) || 20 };
  }
  mark.hidden = false;
  mark.style.left = `${window.scrollX + rect.left}px`;
  mark.style.top = `${window.scrollY + rect.top}px`;
  mark.style.height = `${rect.height}px`;
}

function firstVisibleBlockIndex(canon) {
  const index = canon.blocks.findIndex((block) => block.getBoundingClientRect().bottom > 0);
  return Math.max(0, index);
}

function caretIndex() {
  const selection = window.getSelection();
  const root = body();
  if (selection && selection.rangeCount && root.contains(selection.focusNode)) {
    const range = selection.getRangeAt(0);
    return canonicalIndexOf(range.startContainer, range.startOffset);
  }
  const canon = canonical(root);
  return canon.starts[firstVisibleBlockIndex(canon)] ?? 0;
}

// [start, end) of every sentence of the canonical text, in UTF-16 units, trimmed.
function sentences(text) {
  const found = [];
  const push = (start, end) => {
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (start < end) found.push([start, end]);
  };
  let offset = 0;
  for (const block of text.split("\n\n")) {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      for (const part of new Intl.Segmenter(undefined, { granularity: "sentence" }).segment(block)) {
        push(offset + part.index, offset + part.index + part.segment.length);
      }
    } else {
      const pattern = /[^.!?]+(?:[.!?]+["'”’)\]]*|$)/g;
      let match;
      while ((match = pattern.exec(block))) push(offset + match.index, offset + match.index + match[0].length);
    }
    offset += block.length + 2;
  }
  return found;
}

function selectCanonical(start, end) {
  const canon = canonical(body());
  const [startNode, startOffset] = pointAt(canon, start);
  const [endNode, endOffset] = pointAt(canon, end);
  window.getSelection().setBaseAndExtent(startNode, startOffset, endNode, endOffset);
}

function selectSentence(move) {
  const canon = canonical(body());
  const all = sentences(canon.text);
  if (!all.length) return;
  const at = caretIndex();
  let index = all.findIndex(([, end]) => end > at);
  if (index < 0) index = all.length - 1;
  const range = currentRange();
  if (move && range) {
    // From a selection, `{`/`}` go to the sentence before its start or after its end.
    const start = canonicalIndexOf(range.startContainer, range.startOffset);
    const end = position(canon, range.endContainer, range.endOffset, true);
    index = move > 0 ? all.findIndex(([s]) => s >= end) : all.findLastIndex(([, e]) => e <= start);
    if (index < 0) return;
  } else if (move) {
    index = Math.min(all.length - 1, Math.max(0, index + (move > 0 ? 0 : -1)));
  }
  const [start, end] = all[index];
  selectCanonical(start, end);
  caretMark() && (caretMark().hidden = true);
  const chosen = currentRange();
  if (chosen) {
    openToolbar(chosen);
    chosen.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
  }
}

function growByWord(direction) {
  const selection = window.getSelection();
  const range = currentRange();
  if (!range) return;
  // Keep the start fixed: the selection runs forward from it.
  selection.setBaseAndExtent(range.startContainer, range.startOffset, range.endContainer, range.endOffset);
  const before = selection.toString();
  selection.modify("extend", direction > 0 ? "forward" : "backward", "word");
  if (selection.isCollapsed || !selection.toString().trim()) {
    selection.setBaseAndExtent(range.startContainer, range.startOffset, range.endContainer, range.endOffset);
  } else if (direction < 0 && selection.toString() === before) {
    return;
  }
  const adjusted = currentRange();
  if (adjusted) openToolbar(adjusted);
}

function moveCaret(event) {
  const how = EXTEND[event.key];
  if (!how) return false;
  const selection = window.getSelection();
  if (!selection.rangeCount || !body().contains(selection.focusNode)) placeCaret(caretIndex());
  const [direction, unit] = how;
  const wordwise = (event.ctrlKey || event.altKey) && unit === "character";
  selection.collapse(selection.focusNode, selection.focusOffset);
  selection.modify("move", direction, wordwise ? "word" : unit);
  drawCaret();
  return true;
}

function onArticleKey(event) {
  if (event.ctrlKey && !["ArrowLeft", "ArrowRight"].includes(event.key)) return false;
  if (event.metaKey) return false;
  if (!event.shiftKey && moveCaret(event)) {
    event.preventDefault();
    return true;
  }
  const actions = {
    s: () => selectSentence(0),
    "{": () => selectSentence(-1),
    "}": () => selectSentence(1),
    "]": () => growByWord(1),
    "[": () => growByWord(-1),
  };
  const action = actions[event.key];
  if (!action) return false;
  event.preventDefault();
  action();
  return true;
}

// ------------------------------------------------------------ the shortcuts overlay

function openShortcuts() {
  const help = document.getElementById("shortcuts");
  if (help && !help.open) help.showModal();
}

function save(bar) {
  bar.requestSubmit();
}

function onSelectionSettled() {
  const range = currentRange();
  if (range) openToolbar(range);
  else if (toolbarOpen() && !dialog().contains(document.activeElement)) {
    closeToolbar({ keepSelection: true });
  }
}

function typing(target) {
  return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

// Typing text, as opposed to standing on a checkbox or a button.
function typingText(target) {
  return typing(target) && !(target.tagName === "INPUT" && ["checkbox", "radio", "button", "submit"].includes(target.type));
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
  if (typingText(event.target) || !body()?.contains(selection.focusNode)) return false;
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
  if (event.key === "Tab") {
    // Focus stays inside the open toolbar.
    const items = focusables();
    const at = items.indexOf(document.activeElement);
    event.preventDefault();
    items[(at + (event.shiftKey ? -1 : 1) + items.length) % items.length]?.focus();
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
  if (event.key === "n" && bar.elements.note) {
    event.preventDefault();
    bar.elements.note.focus();
    return;
  }
  if (["[", "]", "{", "}"].includes(event.key)) {
    event.preventDefault();
    if (event.key === "[" || event.key === "]") growByWord(event.key === "]" ? 1 : -1);
    else selectSentence(event.key === "}" ? 1 : -1);
    return;
  }
  if (event.key === "Enter" && event.target.tagName !== "BUTTON" && bar.querySelector("[type=submit]")) {
    event.preventDefault();
    save(bar);
  }
}

document.addEventListener("pointerdown", (event) => {
  lastPointer = event.pointerType || "mouse";
  if (!dialog()?.contains(event.target)) pointerDown = true;
});
document.addEventListener("pointerup", () => {
  pointerDown = false;
});
document.addEventListener("pointercancel", () => {
  pointerDown = false;
});
document.addEventListener("mouseup", (event) => {
  pointerDown = false;
  if (dialog()?.contains(event.target) || chooser()?.contains(event.target)) return;
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
  const extends_ = event.shiftKey && /^(Arrow|Home|End|Page)/.test(event.key);
  if (dialog()?.contains(event.target)) {
    // Shift+arrows from inside the toolbar adjust the selection it shows.
    const range = currentRange();
    if (extends_ && range) openToolbar(range);
    return;
  }
  if (extends_ || event.key === "Shift") onSelectionSettled();
});

document.addEventListener("keydown", (event) => {
  if (chooserOpen()) {
    onChooserKey(event);
    return;
  }
  if (document.getElementById("shortcuts")?.open) return;
  const bar = toolbar();
  if (!bar || extendSelection(event)) return;
  if (toolbarOpen()) {
    onToolbarKey(event, bar);
    return;
  }
  if (typing(event.target) || event.metaKey || event.altKey) return;
  if (event.target === body() && onArticleKey(event)) return;
  if (event.ctrlKey) return;
  if (event.key === "?") {
    event.preventDefault();
    openShortcuts();
  } else if (event.key === "j" || event.key === "k") {
    step(event.key === "j" ? 1 : -1);
  } else if (event.key === "n" && lastSaved) {
    // `n` right after a save opens the note of the annotation just saved.
    const card = cards().findLast((c) => c.classList.contains("mine") && c.dataset.start === lastSaved[0] && c.dataset.end === lastSaved[1]);
    lastSaved = null;
    if (card) {
      event.preventDefault();
      editCard(card);
    }
  } else if (event.key === "e") {
    const card = document.activeElement?.closest?.("#annotation-list .card") ?? document.querySelector("#annotation-list .card.is-current");
    if (card) {
      event.preventDefault();
      editCard(card);
    }
  }
  if (event.key !== "n" && event.key !== "Shift") lastSaved = null;
});

function editCard(card) {
  const edit = card.querySelector(".card-actions a[hx-get]");
  if (!edit) return;
  focusAnnotation(annotationOf(card));
  edit.click();
}

document.addEventListener("focusin", (event) => {
  if (event.target === body()) {
    const selection = window.getSelection();
    if (!selection.rangeCount || !body().contains(selection.focusNode)) placeCaret(caretIndex());
    else drawCaret();
  }
});
document.addEventListener("focusout", (event) => {
  if (event.target === body() && caretMark()) caretMark().hidden = true;
});

document.addEventListener("click", (event) => {
  const bar = toolbar();
  if (!bar) return;
  if (event.target.closest("[data-action=shortcuts]")) {
    openShortcuts();
    return;
  }
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
  // An edit form swapped into its card takes focus at its note.
  const note = event.detail.target?.querySelector?.(".edit-form textarea[name=note]");
  if (note && event.detail.target.classList.contains("card")) note.focus();
});

document.body.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt !== toolbar()) return;
  const status = event.detail.xhr?.status ?? 0;
  // A refused save (400, 429) keeps the toolbar open with the server's message.
  if (status >= 200 && status < 300) {
    pendingRefresh = false;
    const bar = toolbar();
    lastSaved = [bar.elements.start.value, bar.elements.end.value];
    closeToolbar({ caretAt: Number(bar.elements.end.value) });
  }
});

window.addEventListener("resize", () => {
  const range = currentRange();
  if (range && toolbarOpen()) place(dialog(), range);
  drawCaret();
});
