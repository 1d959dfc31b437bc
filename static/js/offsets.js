// Selection → canonical-text offsets. The server's offsets are Python str
// indices (code points); the DOM speaks UTF-16. Each block carries
// data-offset, the code-point index of its first character in the canonical
// text (blocks joined by "\n\n"), so no guessing is needed.

export const SEPARATOR = "\n\n";

export function codePointLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function blocksOf(body) {
  return Array.from(body.querySelectorAll("[data-offset]"));
}

// The canonical text as the browser sees it, and where each block starts in it
// (UTF-16 units).
export function canonical(body) {
  const blocks = blocksOf(body);
  let text = "";
  const starts = [];
  blocks.forEach((block, i) => {
    if (i) text += SEPARATOR;
    starts.push(text.length);
    text += block.textContent;
  });
  return { text, blocks, starts };
}

// UTF-16 position in the canonical text of a DOM boundary point; points that
// fall outside every block snap forward (start) or backward (end).
export function position(canon, node, offset, isEnd) {
  const { blocks, starts } = canon;
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const block = element && element.closest("[data-offset]");
  const index = block ? blocks.indexOf(block) : -1;
  if (index >= 0) {
    const range = document.createRange();
    range.setStart(block, 0);
    range.setEnd(node, offset);
    return starts[index] + range.toString().length;
  }
  const point = document.createRange();
  point.setStart(node, offset);
  if (!isEnd) {
    for (let i = 0; i < blocks.length; i++) {
      if (point.comparePoint(blocks[i], 0) >= 0) return starts[i];
    }
    return canon.text.length;
  }
  for (let i = blocks.length - 1; i >= 0; i--) {
    if (point.comparePoint(blocks[i], blocks[i].childNodes.length) <= 0) {
      return starts[i] + blocks[i].textContent.length;
    }
  }
  return 0;
}

// {start, end, quote, prefix, suffix} in code points, whitespace trimmed, or
// null when the range holds no article text.
export function selectorFor(body, range, context = 32) {
  const canon = canonical(body);
  let s = position(canon, range.startContainer, range.startOffset, false);
  let e = position(canon, range.endContainer, range.endOffset, true);
  const text = canon.text;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (s >= e) return null;
  const start = codePointLength(text.slice(0, s));
  const quote = text.slice(s, e);
  const end = start + codePointLength(quote);
  const before = Array.from(text.slice(0, s));
  const after = Array.from(text.slice(e));
  return {
    start,
    end,
    quote,
    prefix: before.slice(Math.max(0, before.length - context)).join(""),
    suffix: after.slice(0, context).join(""),
  };
}

// The DOM boundary point at a UTF-16 position of the canonical text (the
// inverse of position()): inside the block that holds it, else at the next block.
export function pointAt(canon, index) {
  const { blocks, starts } = canon;
  let i = blocks.length - 1;
  while (i > 0 && starts[i] > index) i--;
  const block = blocks[i];
  let rest = Math.max(0, index - starts[i]);
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) {
    last = walker.currentNode;
    if (rest <= last.data.length) return [last, rest];
    rest -= last.data.length;
  }
  return last ? [last, last.data.length] : [block, 0];
}
