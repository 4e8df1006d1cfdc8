// Automated findings on the draft (GET …/draft/findings/), shown on the tiles they concern
// before the brand submits: blocking in red, warnings in amber, values still to fill in.
// They come from the automated checks, never from a person, and say so.
import { clear, h } from "./dom.js";

const gettext = (s) => (window.gettext ? window.gettext(s) : s);

// One list per page load, shared by the canvas and the settings panel.
let findings = [];
let incomplete = [];

// In the open settings panel: what each field still needs, next to it.
export function markFields(panel = document.getElementById("settings")) {
  if (!panel) return;
  panel.querySelectorAll(".field-note").forEach((el) => el.remove());
  const tileKey = panel.dataset.tile;
  if (!tileKey) return;
  for (const entry of incomplete.filter((e) => e.tile === tileKey && e.field)) {
    const field = [...panel.querySelectorAll(".field[data-field]")].find((el) => el.dataset.field === entry.field);
    if (field) field.append(h("p", { class: "field-note" }, `${gettext("To complete")}: ${entry.message}`));
  }
}

export function createFindings({ api, storeId, onSelectTile, onChange }) {

  function entriesFor(tileKey) {
    return [
      ...findings.filter((f) => f.tile === tileKey).map((f) => ({ kind: f.severity, text: f.message })),
      ...incomplete.filter((e) => e.tile === tileKey).map((e) => ({ kind: "incomplete", text: e.message })),
    ];
  }

  function list(entries) {
    return h("ul", { class: "findings" }, entries.map((e) => h("li", { class: `finding finding-${e.kind}` },
      h("span", { class: "finding-source" },
        e.kind === "incomplete" ? gettext("To complete") : e.kind === "blocking"
          ? gettext("Automated check (must be fixed)") : gettext("Automated check (warning)")),
      ": ", e.text)));
  }

  // Marks the tiles on the canvas and fills the summary next to the Submit button.
  function apply() {
    if (onChange) onChange(findings, incomplete);
    markFields();
    document.querySelectorAll("#sections .tile[data-tile]").forEach((el) => {
      const old = el.querySelector(":scope .findings");
      if (old) old.remove();
      const entries = entriesFor(el.dataset.tile);
      el.classList.toggle("has-blocking-finding", entries.some((e) => e.kind === "blocking"));
      el.classList.toggle("has-warning-finding", entries.some((e) => e.kind === "warning"));
      el.classList.toggle("is-incomplete", entries.some((e) => e.kind === "incomplete"));
      if (entries.length) (el.querySelector(".tile-body") || el).append(list(entries));
    });
    const summary = document.getElementById("findings-summary");
    if (!summary) return;
    clear(summary);
    const blocking = findings.filter((f) => f.severity === "blocking").length;
    const warnings = findings.length - blocking;
    const unplaced = [...findings.filter((f) => !f.tile), ...incomplete.filter((e) => !e.tile)];
    summary.hidden = !(blocking || warnings || incomplete.length);
    if (summary.hidden) return;
    summary.append(h("p", {}, [
      blocking ? interpolateCount(gettext("%(n)s problem found by the automated checks must be fixed before you submit."),
        gettext("%(n)s problems found by the automated checks must be fixed before you submit."), blocking) : null,
      warnings ? interpolateCount(gettext("%(n)s warning from the automated checks."),
        gettext("%(n)s warnings from the automated checks."), warnings) : null,
      incomplete.length ? interpolateCount(gettext("%(n)s value still to fill in."),
        gettext("%(n)s values still to fill in."), incomplete.length) : null,
    ].filter(Boolean).join(" ")));
    if (unplaced.length) {
      summary.append(list(unplaced.map((e) => ({ kind: e.severity || "incomplete", text: e.message }))));
    }
    const first = [...findings, ...incomplete].find((e) => e.tile);
    if (first && onSelectTile) {
      summary.append(h("button", { type: "button", class: "link-btn", onclick: () => onSelectTile(first.tile) },
        gettext("Show the first one")));
    }
  }

  async function refresh() {
    try {
      const answer = await api.get(`stores/${storeId}/draft/findings/`);
      findings = answer.findings || [];
      incomplete = answer.incomplete || [];
    } catch (error) {
      return; // a hint only: the editor works without it
    }
    apply();
  }

  // A refused submission carries the same lists: show them at once.
  function adopt(errors) {
    if (!errors || typeof errors !== "object") return;
    if (Array.isArray(errors.findings)) findings = errors.findings;
    if (Array.isArray(errors.incomplete)) incomplete = errors.incomplete;
    apply();
  }

  return { refresh, apply, adopt, blocking: () => findings.filter((f) => f.severity === "blocking") };
}

function interpolateCount(singular, plural, n) {
  const fmt = window.ngettext ? window.ngettext(singular, plural, n) : (n === 1 ? singular : plural);
  return fmt.replace("%(n)s", String(n));
}
