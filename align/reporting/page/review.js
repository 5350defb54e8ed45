// The HTML report's review, inlined into every report (align/reporting/html_report.py):
// accept / dismiss / severity / comment per flag, links between sentences, kept in the
// browser's storage for this pair of documents, exported to and imported from a decisions
// file (align/reviewing.py reads it: `align report --decisions FILE`).
(() => {
  "use strict";
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
  const report = window.alignReport;
  const data = JSON.parse($("#review-data").textContent);
  const flags = new Map($$(".flag[data-flag-id]").map((flag) => [flag.dataset.flagId, flag]));
  const storage = report.storage;
  const message = (text) => {
    $("#review-message").textContent = text;
  };

  // --- state: decisions by flag id, and links; the newer of file and browser wins --------
  const state = { decisions: new Map(), anchors: [] };
  const anchorKey = (a) => `${a.src} ${a.tgt}`;
  const addAnchor = (anchor) => {
    if (!state.anchors.some((a) => anchorKey(a) === anchorKey(anchor))) state.anchors.push(anchor);
  };
  const merge = (decisions, anchors, replace) => {
    for (const decision of decisions || []) {
      if (!decision || typeof decision.flag !== "string") continue;
      const had = state.decisions.get(decision.flag);
      if (replace || !had || (decision.updated || "") >= (had.updated || "")) {
        state.decisions.set(decision.flag, decision);
      }
    }
    for (const anchor of anchors || []) {
      if (Number.isInteger(anchor?.src) && Number.isInteger(anchor?.tgt)) addAnchor(anchor);
    }
  };
  const load = () => {
    merge(data.decisions, data.anchors, false);
    try {
      const saved = JSON.parse(storage?.getItem(data.key) || "null");
      if (saved) {
        merge(saved.decisions, [], false);
        // links removed in this browser stay removed
        if (Array.isArray(saved.anchors)) {
          state.anchors = [];
          merge([], saved.anchors, false);
        }
      }
    } catch {
      message("The decisions kept in this browser could not be read.");
    }
  };
  const save = () => {
    try {
      storage?.setItem(data.key, JSON.stringify({
        decisions: [...state.decisions.values()],
        anchors: state.anchors,
      }));
    } catch {
      message("This browser would not keep the decisions: export them to a file.");
    }
  };

  // --- what a flag is about, recorded with its decision --------------------------------
  const rowOf = (flag) => flag.closest("tr.bead");
  const sideText = (row, side) => $$(`td.${side} .text`, row).map((t) => t.textContent).join(" ");
  const about = (flag) => {
    const row = rowOf(flag);
    return {
      category: flag.dataset.category,
      reason: $(".reason", flag).textContent,
      src: sideText(row, "src"),
      tgt: sideText(row, "tgt"),
    };
  };
  const decide = (flag, change) => {
    const id = flag.dataset.flagId;
    const before = state.decisions.get(id) || { verdict: "open", severity: "", comment: "" };
    state.decisions.set(id, {
      flag: id,
      verdict: before.verdict,
      severity: before.severity,
      comment: before.comment,
      ...change,
      updated: new Date().toISOString(),
      ...about(flag),
    });
    save();
    show();
  };

  // --- showing the state ------------------------------------------------------------------
  const show = () => {
    const counts = { open: 0, accepted: 0, dismissed: 0 };
    const perCategory = new Map();
    let flagged = 0;
    for (const [id, flag] of flags) {
      const decision = state.decisions.get(id) || { verdict: "open", severity: "", comment: "" };
      const verdict = decision.verdict || "open";
      counts[verdict] = (counts[verdict] || 0) + 1;
      flag.dataset.verdict = verdict;
      $(".verdict", flag).textContent = verdict === "open" ? "" : verdict;
      $(".accept", flag).setAttribute("aria-pressed", String(verdict === "accepted"));
      $(".dismiss", flag).setAttribute("aria-pressed", String(verdict === "dismissed"));
      $(".severity", flag).value = decision.severity || "";
      const comment = $(".comment", flag);
      if (document.activeElement !== comment) comment.value = decision.comment || "";
      if (decision.comment) comment.hidden = false;
      $(".comment-text", flag).textContent = decision.comment || "";
      if (verdict !== "dismissed") {
        const category = flag.dataset.category;
        perCategory.set(category, (perCategory.get(category) || 0) + 1);
      }
    }
    for (const row of report.rows) {
      if (!row.classList.contains("flagged")) continue;
      const live = $$(".flag", row).filter((flag) => flag.dataset.verdict !== "dismissed");
      row.classList.toggle("dismissed", live.length === 0);
      if (live.length) flagged += 1;
      const mark = $(`#minimap a[data-index="${row.dataset.index}"]`);
      if (mark) mark.classList.toggle("dismissed", live.length === 0);
    }
    // Counts that add up: flagged beads, and flags per category (dismissed left out).
    let totalFlags = 0;
    for (const button of $$(".legend-item")) {
      const n = perCategory.get(button.dataset.category) || 0;
      totalFlags += n;
      $(".n", button).textContent = n;
      button.parentElement.classList.toggle("zero", n === 0);
    }
    $("#flag-total").textContent = totalFlags;
    $("#flagged-count").textContent = flagged;
    $("#dismissed-count").textContent = counts.dismissed;
    $("#dismissed-note").hidden = counts.dismissed === 0;
    for (const verdict of ["open", "accepted", "dismissed"]) {
      $(`#count-${verdict}`).textContent = counts[verdict];
    }
    showStale();
    showLinks();
    report.refresh();
  };

  const listItem = (text, button) => {
    const item = document.createElement("li");
    item.append(text);
    if (button) item.append(" ", button);
    return item;
  };
  const showStale = () => {
    const stale = [...state.decisions.values()].filter((d) => !flags.has(d.flag));
    $("#stale-panel").hidden = stale.length === 0;
    $("#stale").replaceChildren(...stale.map((d) => listItem(
      `${d.verdict}${d.severity ? ` (${d.severity})` : ""}: ${(d.category || "").replace(/_/g, " ")} — ` +
        `${d.reason || d.flag}${d.comment ? ` — “${d.comment}”` : ""}`,
    )));
  };

  // --- links between sentences (anchors for the aligner) ----------------------------------
  const sentenceText = (side, index) => {
    const button = $(`.idx[data-side="${side}"][data-index="${index}"]`);
    return button ? $(".text", button.parentElement).textContent : "";
  };
  // A link's sentence number in this report, if it holds the sentence the link was made on
  // (a link from a decisions file whose sentence is gone keeps its old number and text).
  const linked = (side, index, text) => {
    const button = $(`.idx[data-side="${side}"][data-index="${index}"]`);
    return button && (!text || sentenceText(side, index) === text) ? button : null;
  };
  const showLinks = () => {
    for (const button of $$(".idx.linked")) button.classList.remove("linked");
    $("#links-panel").hidden = state.anchors.length === 0;
    $("#links").replaceChildren(...state.anchors.map((anchor) => {
      const src = linked("src", anchor.src, anchor.src_text);
      const tgt = linked("tgt", anchor.tgt, anchor.tgt_text);
      if (src && tgt) {
        src.classList.add("linked");
        tgt.classList.add("linked");
      }
      const kept = src && tgt && src.closest("tr.bead") === tgt.closest("tr.bead");
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.addEventListener("click", () => {
        state.anchors = state.anchors.filter((a) => anchorKey(a) !== anchorKey(anchor));
        save();
        show();
      });
      const status = !src || !tgt
        ? "sentences not found in this report"
        : kept ? "in one bead" : "not yet applied: export, then rerun with --decisions";
      return listItem(`original ${anchor.src + 1} ↔ translation ${anchor.tgt + 1} (${status})`, remove);
    }));
  };
  let picked = null;
  const linkMessage = (text) => {
    $("#link-message").textContent = text;
  };
  const cancelPick = () => {
    picked?.classList.remove("picked");
    picked = null;
    document.body.classList.remove("linking");
    linkMessage("");
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".idx");
    if (!button) return;
    const side = button.dataset.side;
    const name = side === "src" ? "original" : "translation";
    if (!picked || picked.dataset.side === side) {
      cancelPick();
      picked = button;
      button.classList.add("picked");
      document.body.classList.add("linking");
      linkMessage(`${name[0].toUpperCase()}${name.slice(1)} sentence ${+button.dataset.index + 1} ` +
        `chosen: now choose the ${side === "src" ? "translation" : "original"} sentence that ` +
        "belongs with it (Escape cancels).");
      return;
    }
    const [src, tgt] = side === "tgt" ? [picked, button] : [button, picked];
    const anchor = {
      src: +src.dataset.index,
      tgt: +tgt.dataset.index,
      src_text: sentenceText("src", src.dataset.index),
      tgt_text: sentenceText("tgt", tgt.dataset.index),
    };
    addAnchor(anchor);
    cancelPick();
    save();
    show();
    linkMessage(`Linked original ${anchor.src + 1} with translation ${anchor.tgt + 1}. Export ` +
      "the decisions and rerun align report with --decisions to realign around the link.");
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && picked) cancelPick();
  });

  // --- per-flag controls ----------------------------------------------------------------
  const flagOf = (event) => event.target.closest(".flag[data-flag-id]");
  const toggleVerdict = (flag, verdict) => {
    decide(flag, { verdict: flag.dataset.verdict === verdict ? "open" : verdict });
  };
  const openComment = (flag) => {
    const comment = $(".comment", flag);
    comment.hidden = false;
    $(".comment-toggle", flag).setAttribute("aria-expanded", "true");
    comment.focus();
  };
  document.addEventListener("click", (event) => {
    const flag = flagOf(event);
    if (!flag) return;
    if (event.target.closest(".accept")) toggleVerdict(flag, "accepted");
    else if (event.target.closest(".dismiss")) toggleVerdict(flag, "dismissed");
    else if (event.target.closest(".comment-toggle")) openComment(flag);
  });
  document.addEventListener("change", (event) => {
    const flag = flagOf(event);
    if (!flag) return;
    if (event.target.matches(".severity")) decide(flag, { severity: event.target.value });
    else if (event.target.matches(".comment")) decide(flag, { comment: event.target.value.trim() });
  });
  // Shortcuts on the current row's first open flag (or its first flag).
  const target = () => {
    const row = report.current();
    const list = row ? $$(".flag", row) : [];
    return list.find((flag) => flag.dataset.verdict === "open") || list[0];
  };
  report.shortcuts.set("a", () => target() && toggleVerdict(target(), "accepted"));
  report.shortcuts.set("d", () => target() && toggleVerdict(target(), "dismissed"));
  report.shortcuts.set("c", () => target() && openComment(target()));

  // --- export and import ------------------------------------------------------------------
  const exportData = () => ({
    format: data.format,
    documents: data.documents,
    decisions: [...state.decisions.values()].sort((a, b) => a.flag.localeCompare(b.flag)),
    anchors: [...state.anchors].sort((a, b) => a.src - b.src || a.tgt - b.tgt),
  });
  $("#export-decisions").addEventListener("click", () => {
    const blob = new Blob([`${JSON.stringify(exportData(), null, 2)}\n`], { type: "application/json" });
    const link = document.createElement("a");
    const base = (data.documents.source.split(/[\\/]/).pop() || "report").replace(/\.[^.]*$/, "");
    link.href = URL.createObjectURL(blob);
    link.download = `${base}.decisions.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
    message(`Exported ${state.decisions.size} decisions and ${state.anchors.length} links.`);
  });
  $("#import-decisions").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      const imported = JSON.parse(await file.text());
      if (imported?.format !== data.format) throw new Error(`not an ${data.format} file`);
      merge(imported.decisions, imported.anchors, true);
      save();
      show();
      const count = (imported.decisions || []).length;
      message(`Imported ${count} decisions and ${(imported.anchors || []).length} links from ${file.name}.`);
    } catch (error) {
      message(`Could not import ${file.name}: ${error.message}`);
    }
    event.target.value = "";
  });

  report.exportDecisions = exportData;
  load();
  show();
})();
