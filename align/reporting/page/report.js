// The HTML report's navigation, inlined into every report (align/reporting/html_report.py):
// moving between flags from where the reader is, filters (flagged rows, category, score
// range, decision, text search), the minimap, #bead-N links and the keyboard shortcuts.
// It exposes window.alignReport for review.js.
(() => {
  "use strict";
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
  const rows = $$("tr.bead");
  const total = rows.length;
  const position = $("#flag-position");
  const shown = $("#shown");
  const view = $("#minimap-view");
  const marks = $$("#minimap a");
  const filters = { only: false, categories: new Set(), range: null, decision: "", query: "" };
  const shortcuts = new Map(); // key -> function(event), filled here and by review.js
  let current = null;
  let shownRows = rows; // the rows the filters leave, in document order

  // Text search ignores case, Arabic diacritics and tatweel, and alef forms.
  const fold = (text) =>
    text
      .normalize("NFKC")
      .replace(/[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\s+/g, " ")
      .toLowerCase();
  const texts = new Map(rows.map((row) => [row, fold($$(".text", row).map((t) => t.textContent).join(" "))]));
  const divergence = (row) => parseFloat(row.dataset.divergence);

  const matches = (row) => {
    const flagged = row.classList.contains("flagged");
    if (filters.only && !flagged) return false;
    if (filters.categories.size) {
      const categories = (row.dataset.categories || "").split(" ");
      if (!categories.some((c) => filters.categories.has(c))) return false;
    }
    if (filters.range) {
      const d = divergence(row);
      const { low, high } = filters.range;
      if (!(d >= low && (d < high || (high >= 1 && d <= high)))) return false;
    }
    if (filters.decision) {
      const verdicts = $$(".flag", row).map((flag) => flag.dataset.verdict);
      if (!verdicts.includes(filters.decision)) return false;
    }
    if (filters.query && !texts.get(row).includes(filters.query)) return false;
    return true;
  };
  const filtering = () =>
    filters.only || filters.categories.size > 0 || filters.range !== null ||
    filters.decision !== "" || filters.query !== "";

  const refresh = () => {
    for (const row of rows) row.hidden = !matches(row);
    shownRows = rows.filter((row) => !row.hidden);
    const visible = shownRows.length;
    document.body.classList.toggle("filtered", filtering());
    shown.textContent = filtering() ? `showing ${visible} of ${total} beads` : "";
    $("#clear-filters").hidden = !filtering();
    for (const mark of marks) mark.classList.toggle("dim", rows[+mark.dataset.index].hidden);
    for (const button of $$(".legend-item")) {
      button.setAttribute("aria-pressed", String(filters.categories.has(button.dataset.category)));
    }
    for (const bin of $$(".histogram .bin")) {
      const on = filters.range !== null && filters.range.low === parseFloat(bin.dataset.low);
      bin.setAttribute("aria-pressed", String(on));
    }
    showPosition();
    updateView();
  };

  const clearFilters = () => {
    filters.only = false;
    filters.categories.clear();
    filters.range = null;
    filters.decision = "";
    filters.query = "";
    $("#only-flagged").checked = false;
    $("#decision-filter").value = "";
    $("#search").value = "";
    refresh();
  };

  // --- where the reader is -------------------------------------------------------------
  // The rows next/previous go through: shown, with a flag not dismissed (or, when the
  // decision filter asks for dismissed ones, with a dismissed flag).
  const visibleFlagged = () => rows.filter((row) => row.classList.contains("flagged") &&
    !row.hidden && (filters.decision === "dismissed" || !row.classList.contains("dismissed")));
  const showPosition = () => {
    const list = visibleFlagged();
    const at = current ? list.indexOf(current) : -1;
    position.textContent = at >= 0
      ? `flagged bead ${at + 1} of ${list.length}`
      : `${list.length} flagged beads${filtering() ? " shown" : ""}`;
  };
  const select = (row, scroll) => {
    if (current) current.classList.remove("current");
    current = row;
    row.classList.add("current");
    if (scroll) {
      row.scrollIntoView({ block: "center" });
      row.focus({ preventScroll: true });
    }
    showPosition();
  };
  // Where the sticky controls and column header end: rows above that are out of sight.
  const stuck = [$("#controls"), $("table.beads thead")];
  const headerBottom = () => Math.max(0, ...stuck
    .filter((element) => getComputedStyle(element).position === "sticky")
    .map((element) => element.getBoundingClientRect().bottom));
  // The first row whose bottom is below the sticky header: where reading goes on.
  const topRow = () => {
    const header = headerBottom();
    return shownRows[firstRow((box) => box.bottom > header + 4)];
  };
  const go = (step) => {
    const list = visibleFlagged();
    if (!list.length) return;
    const index = (row) => +row.dataset.index;
    let target;
    if (current && !current.hidden) {
      const here = index(current);
      target = step > 0
        ? list.find((row) => index(row) > here) ?? list[0]
        : list.findLast((row) => index(row) < here) ?? list[list.length - 1];
    } else {
      // nothing chosen yet: from the top of the screen
      const top = topRow();
      const here = top ? index(top) : 0;
      target = step > 0
        ? list.find((row) => index(row) >= here) ?? list[0]
        : list.findLast((row) => index(row) < here) ?? list[list.length - 1];
    }
    select(target, true);
  };
  const showBead = (number) => {
    const row = document.getElementById(`bead-${number}`);
    if (!row) return;
    if (row.hidden) clearFilters();
    select(row, true);
  };
  const fromHash = () => {
    const found = /^#bead-(\d+)$/.exec(location.hash);
    if (found) showBead(found[1]);
  };

  // The minimap's frame: the part of the document on screen. Rows are in document order,
  // so the first and last on screen are found by bisection (long documents scroll smoothly).
  const firstRow = (test) => {
    let low = 0;
    let high = shownRows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (test(shownRows[middle].getBoundingClientRect())) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  const updateView = () => {
    if (!view || !total) return;
    const header = headerBottom();
    const first = firstRow((box) => box.bottom > header);
    const end = firstRow((box) => box.top >= innerHeight);
    view.hidden = end <= first;
    if (view.hidden) return;
    const top = +shownRows[first].dataset.index;
    const bottom = +shownRows[end - 1].dataset.index;
    view.style.top = `${(top / total) * 100}%`;
    view.style.height = `max(6px, ${((bottom - top + 1) / total) * 100}%)`;
  };
  let viewPending = false;
  const onScroll = () => {
    if (viewPending) return;
    viewPending = true;
    requestAnimationFrame(() => {
      viewPending = false;
      updateView();
    });
  };

  // --- events ----------------------------------------------------------------------------
  $("#only-flagged").addEventListener("change", (event) => {
    filters.only = event.target.checked;
    refresh();
  });
  $("#decision-filter").addEventListener("change", (event) => {
    filters.decision = event.target.value;
    refresh();
  });
  $("#search").addEventListener("input", (event) => {
    filters.query = fold(event.target.value).trim();
    refresh();
  });
  $("#clear-filters").addEventListener("click", clearFilters);
  $("#next-flag").addEventListener("click", () => go(1));
  $("#prev-flag").addEventListener("click", () => go(-1));
  for (const button of $$(".legend-item")) {
    button.addEventListener("click", () => {
      const category = button.dataset.category;
      if (!filters.categories.delete(category)) filters.categories.add(category);
      refresh();
    });
  }
  for (const bin of $$(".histogram .bin")) {
    const toggle = () => {
      const low = parseFloat(bin.dataset.low);
      filters.range = filters.range && filters.range.low === low
        ? null
        : { low, high: parseFloat(bin.dataset.high) };
      refresh();
    };
    bin.addEventListener("click", toggle);
    bin.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle();
      }
    });
  }
  // A click or focus inside a row makes it the current one (no scrolling).
  const tbody = $("table.beads tbody");
  const choose = (event) => {
    const row = event.target.closest("tr.bead");
    if (row && row !== current) select(row, false);
  };
  tbody.addEventListener("click", choose);
  tbody.addEventListener("focusin", choose);
  // #bead-N links (row numbers, minimap): highlight even when the hash does not change.
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#bead-"]');
    if (!link) return;
    event.preventDefault();
    history.replaceState(null, "", link.getAttribute("href"));
    fromHash();
  });
  addEventListener("hashchange", fromHash);
  addEventListener("scroll", onScroll, { passive: true });
  addEventListener("resize", updateView);

  // The table header sticks under the controls: tell the stylesheet how tall they are.
  const controls = $("#controls");
  const setStickyTop = () => {
    const sticky = getComputedStyle(controls).position === "sticky";
    document.documentElement.style.setProperty("--sticky-top", `${sticky ? controls.offsetHeight : 0}px`);
  };
  new ResizeObserver(setStickyTop).observe(controls);
  addEventListener("resize", setStickyTop);
  setStickyTop();

  // --- shortcuts (WCAG 2.1.4: they can be switched off, and are remembered) ---------------
  const SHORTCUTS_KEY = "align-report/shortcuts";
  const toggle = $("#shortcuts");
  // The browser's storage, or null where it is refused (some file:// settings).
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  })();
  const setShortcuts = (on) => {
    toggle.checked = on;
    document.body.classList.toggle("no-shortcuts", !on);
  };
  setShortcuts(storage?.getItem(SHORTCUTS_KEY) !== "off");
  toggle.addEventListener("change", () => {
    setShortcuts(toggle.checked);
    storage?.setItem(SHORTCUTS_KEY, toggle.checked ? "on" : "off");
  });
  // Keys typed into a field are text, not shortcuts (a focused checkbox or button is fine).
  const typing = (target) =>
    target.closest("textarea, select, [contenteditable]") !== null ||
    (target.matches("input") && !["checkbox", "radio", "button", "file"].includes(target.type));
  for (const key of ["j", "n"]) shortcuts.set(key, () => go(1));
  for (const key of ["k", "p"]) shortcuts.set(key, () => go(-1));
  shortcuts.set("/", () => $("#search").focus());
  document.addEventListener("keydown", (event) => {
    if (!toggle.checked || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const action = shortcuts.get(event.key);
    if (!action) return;
    event.preventDefault();
    action(event);
  });

  window.alignReport = { rows, shortcuts, storage, refresh, current: () => current, select };
  refresh();
  fromHash();
})();
