// The word links of the HTML report, inlined into every report (align/reporting/html_report.py).
// The links of each bead come as JSON (#word-links: bead index -> [source sentence, start,
// end, target sentence, start, end] per link, character offsets in the sentence's text).
// Each linked word is wrapped in a focusable span; hovering or focusing a word lights it up
// with its counterpart on the other side, and its title names the counterpart.
(() => {
  "use strict";
  const source = document.getElementById("word-links");
  if (!source) return;
  const links = JSON.parse(source.textContent);
  const partners = new Map(); // word span -> the spans it is linked to

  // The span around characters start..end of a sentence's text, made once.
  const wrap = (row, side, sentence, start, end, made) => {
    const key = `${side}:${sentence}:${start}`;
    if (made.has(key)) return made.get(key);
    const text = row.querySelector(`td.${side} .sent[data-index="${sentence}"] .text`);
    if (!text) return null;
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.data.length;
      if (start >= offset && end <= offset + length) {
        const range = document.createRange();
        range.setStart(node, start - offset);
        range.setEnd(node, end - offset);
        const span = document.createElement("span");
        span.className = "w";
        span.tabIndex = 0;
        range.surroundContents(span);
        made.set(key, span);
        partners.set(span, []);
        return span;
      }
      offset += length;
    }
    return null; // the word crosses a highlighted passage's edge: left unwrapped
  };

  for (const [bead, pairs] of Object.entries(links)) {
    const row = document.getElementById(`bead-${Number(bead) + 1}`);
    if (!row) continue;
    const made = new Map();
    // Wrapping moves no character, so the offsets of the other words stay right.
    for (const [s, s0, s1, t, t0, t1] of pairs) {
      const a = wrap(row, "src", s, s0, s1, made);
      const b = wrap(row, "tgt", t, t0, t1, made);
      if (!a || !b) continue;
      partners.get(a).push(b);
      partners.get(b).push(a);
    }
  }
  for (const [span, others] of partners) {
    if (!others.length) {
      span.replaceWith(...span.childNodes);
      continue;
    }
    span.title = `linked to: ${others.map((o) => o.textContent).join(", ")}`;
  }

  const light = (span, on) => {
    span.classList.toggle("w-active", on);
    for (const other of partners.get(span) || []) other.classList.toggle("w-counterpart", on);
  };
  const wordOf = (event) => (event.target instanceof Element ? event.target.closest("span.w") : null);
  for (const [type, on] of [
    ["mouseover", true],
    ["mouseout", false],
    ["focusin", true],
    ["focusout", false],
  ]) {
    document.addEventListener(type, (event) => {
      const span = wordOf(event);
      if (span && partners.has(span)) light(span, on);
    });
  }
})();
