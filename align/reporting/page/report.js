// The HTML report's script, inlined into every report (align/reporting/html_report.py):
// the flags-only filter and moving between flags with buttons and keys.
(() => {
  "use strict";
  const flagged = [...document.querySelectorAll("tr.bead.flagged")];
  const only = document.getElementById("only-flagged");
  const position = document.getElementById("flag-position");
  const steps = { j: 1, n: 1, k: -1, p: -1 };
  let current = -1;
  only.addEventListener("change", () => {
    document.body.classList.toggle("only-flagged", only.checked);
  });
  const go = (step) => {
    if (!flagged.length) return;
    if (current >= 0) flagged[current].classList.remove("current");
    current = current < 0 && step < 0
      ? flagged.length - 1
      : (current + step + flagged.length) % flagged.length;
    const row = flagged[current];
    row.classList.add("current");
    row.scrollIntoView({ block: "center" });
    row.focus({ preventScroll: true });
    position.textContent = `flag ${current + 1} of ${flagged.length}`;
  };
  document.getElementById("next-flag").addEventListener("click", () => go(1));
  document.getElementById("prev-flag").addEventListener("click", () => go(-1));
  document.addEventListener("keydown", (event) => {
    const step = Object.hasOwn(steps, event.key) ? steps[event.key] : 0;
    if (!step || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    go(step);
  });
})();
