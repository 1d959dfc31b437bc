// The reading page: selection → toolbar → htmx save, hotkeys, and moving
// between highlights and their cards. Everything else is server-rendered.
import { selectorFor } from "./offsets.js";

const toolbar = () => document.getElementById("toolbar");
const body = () => document.getElementById("article-body");
let pendingRefresh = false;

function toolbarOpen() {
  const bar = toolbar();
  return bar && !bar.hidden;
}

function currentRange() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const root = body();
  if (!root || !root.contains(range.commonAncestorContainer) && !range.intersectsNode(root)) {
    return null;
  }
  return range;
}

function place(bar, range) {
  const rect = range.getBoundingClientRect();
  if (window.matchMedia("(max-width: 700px)").matches) {
    bar.style.removeProperty("top");
    bar.style.removeProperty("left");
    return;
  }
  const top = window.scrollY + rect.bottom + 8;
  const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + window.innerWidth - bar.offsetWidth - 8));
  bar.style.top = `${top}px`;
  bar.style.left = `${left}px`;
}

function openToolbar(range) {
  const selector = selectorFor(body(), range);
  const bar = toolbar();
  if (!selector || !bar) return;
  for (const name of ["start", "end", "quote"]) bar.elements[name].value = selector[name];
  bar.dataset.prefix = selector.prefix;
  bar.dataset.suffix = selector.suffix;
  document.getElementById("toolbar-error").textContent = "";
  bar.hidden = false;
  place(bar, range);
}

function closeToolbar({ keepSelection = false } = {}) {
  const bar = toolbar();
  if (!bar) return;
  bar.hidden = true;
  bar.reset();
  if (!keepSelection) window.getSelection()?.removeAllRanges();
  if (pendingRefresh) {
    pendingRefresh = false;
    htmx.trigger(document.body, "annotations-stale");
  }
}

function save(bar) {
  bar.requestSubmit();
}

function onSelectionSettled() {
  const range = currentRange();
  if (range) openToolbar(range);
}

function typing(target) {
  return target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function cards() {
  return Array.from(document.querySelectorAll("#annotation-list .card"));
}

function marksFor(id) {
  return Array.from(document.querySelectorAll(`#article-body mark[data-annotations~="${CSS.escape(id)}"]`));
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
  const id = list[next].dataset.annotation;
  focusAnnotation(id);
  list[next].focus({ preventScroll: true });
}

document.addEventListener("mouseup", (event) => {
  if (toolbar()?.contains(event.target)) return;
  setTimeout(onSelectionSettled, 0);
});
document.addEventListener("touchend", () => setTimeout(onSelectionSettled, 350));
document.addEventListener("keyup", (event) => {
  if (event.shiftKey && event.key.startsWith("Arrow")) onSelectionSettled();
});

document.addEventListener("keydown", (event) => {
  const bar = toolbar();
  if (!bar) return;
  if (toolbarOpen()) {
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
    if (/^[1-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const box = bar.querySelector(`input[data-hotkey="${event.key}"]`);
      if (box) {
        event.preventDefault();
        box.checked = true;
        save(bar);
      }
      return;
    }
    if (event.key === "n") {
      event.preventDefault();
      bar.elements.note.focus();
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      save(bar);
    }
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
  const mark = event.target.closest("#article-body mark[data-annotations]");
  if (mark && window.getSelection()?.isCollapsed) {
    focusAnnotation(mark.dataset.annotations.split(" ")[0], { fromText: true });
    return;
  }
  const card = event.target.closest("#annotation-list .card .quote");
  if (card) focusAnnotation(card.closest(".card").dataset.annotation);
});

// Keep a reader's selection: refreshes from other people wait until the
// toolbar is closed.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  const source = event.detail.elt;
  if (source && source.id === "annotated" && toolbarOpen()) {
    event.preventDefault();
    pendingRefresh = true;
  }
});

document.body.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt === toolbar() && event.detail.successful) {
    pendingRefresh = false;
    closeToolbar();
  }
});

window.addEventListener("resize", () => {
  const range = currentRange();
  if (range && toolbarOpen()) place(toolbar(), range);
});
