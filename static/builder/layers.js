// The layers list: the page's sections and tiles as a compact outline, in step with the
// canvas selection. It is also the keyboard path for everything the canvas does with the
// pointer: select, move up and down (across sections), duplicate, delete.
import { clear, copyIcon, h, iconButton } from "./dom.js";
import {
  deleteSection, deleteTile, duplicateSection, duplicateTile, moveSection, moveTile,
  selectSection, selectTile,
} from "./edits.js";
import {
  $, canEdit, currentPage, emit, gettext, interpolate, problemsFor, sectionLabel, state, tileLabel,
} from "./state.js";

// The layouts come from the server (stores.documents.LAYOUTS), labelled in the user's language.
export const SECTION_LAYOUTS = JSON.parse(
  document.getElementById("section-layouts")?.textContent || "[]",
).map(({ value, label }) => [value, label]);

export function layoutLabel(value) {
  const found = SECTION_LAYOUTS.find(([key]) => key === value);
  return found ? found[1] : value;
}

function say(format, values) {
  return interpolate(gettext(format), values, true);
}

function problemNote(match) {
  const { errors, incomplete, findings } = problemsFor(match);
  const checks = findings.length ? findings.map((f) => h("span", { class: `layer-problem is-${f.severity}` },
    f.severity === "blocking"
      ? say("Automated check (must be fixed): %(what)s", { what: f.message })
      : say("Automated check (warning): %(what)s", { what: f.message }))) : null;
  const note = problemText(errors, incomplete);
  if (!checks) return note;
  return h("span", { class: "layer-problems" }, note, checks);
}

function problemText(errors, incomplete) {
  if (errors.length) {
    return h("span", { class: "layer-problem is-error" },
      say("Not saved: %(what)s", { what: errors.map((e) => e.message).join(" ") }));
  }
  if (incomplete.length) {
    return h("span", { class: "layer-problem is-incomplete" },
      say("Incomplete: %(what)s", { what: incomplete.map((e) => e.message).join(" ") }));
  }
  return null;
}

function tileRow(tile, index, section, sectionIndex, page) {
  const label = tileLabel(tile);
  const selected = tile.key === state.tileKey;
  const first = index === 0 && sectionIndex === 0;
  const last = index === section.tiles.length - 1 && sectionIndex === page.sections.length - 1;
  const note = problemNote((e) => e.tile === tile.key);
  return h("li", { class: `layer layer-tile${selected ? " is-selected" : ""}${note ? " has-problem" : ""}`,
    dataset: { tile: tile.key, type: tile.type } },
  h("div", { class: "layer-row" },
    h("button", { type: "button", class: "layer-name tile-name", "aria-current": selected ? "true" : null,
      // On a phone the drawer gives way to the tile's settings sheet.
      onclick: () => { selectTile(tile.key); emit("drawers", { close: true }); } }, label),
    canEdit ? h("span", { class: "row-tools" },
      iconButton("↑", say("Move %(tile)s up", { tile: label }), () => moveTile(tile.key, -1), { disabled: first, cls: "move-up" }),
      iconButton("↓", say("Move %(tile)s down", { tile: label }), () => moveTile(tile.key, 1), { disabled: last, cls: "move-down" }),
      iconButton(copyIcon(), say("Duplicate %(tile)s", { tile: label }), () => duplicateTile(tile.key), { cls: "duplicate" }),
      iconButton("✕", say("Delete %(tile)s", { tile: label }), () => deleteTile(tile.key), { cls: "danger delete" })) : null),
  note);
}

function sectionRow(section, index, page) {
  const label = sectionLabel(page, section);
  const selected = section.key === state.sectionKey && !state.tileKey;
  const note = problemNote((e) => e.section === section.key && !e.tile);
  return h("li", { class: `layer layer-section${selected ? " is-selected" : ""}`, dataset: { section: section.key } },
    h("div", { class: "layer-row" },
      h("button", { type: "button", class: "layer-name section-name", "aria-current": selected ? "true" : null,
        onclick: () => { selectSection(section.key); emit("drawers", { close: true }); } },
      label, h("span", { class: "layer-meta" }, ` · ${layoutLabel(section.layout)}`)),
      canEdit ? h("span", { class: "row-tools" },
        iconButton("↑", say("Move %(section)s up", { section: label }), () => moveSection(section.key, -1), { disabled: index === 0, cls: "move-up" }),
        iconButton("↓", say("Move %(section)s down", { section: label }), () => moveSection(section.key, 1), { disabled: index === page.sections.length - 1, cls: "move-down" }),
        iconButton(copyIcon(), say("Duplicate %(section)s", { section: label }), () => duplicateSection(section.key), { cls: "duplicate" }),
        iconButton("✕", say("Delete %(section)s", { section: label }), () => deleteSection(section.key), { cls: "danger delete" })) : null),
    note,
    section.tiles.length
      ? h("ol", { class: "layer-tiles", "aria-label": say("Tiles of %(section)s", { section: label }) },
        section.tiles.map((tile, i) => tileRow(tile, i, section, index, page)))
      : h("p", { class: "layer-empty muted small" }, gettext("No tile yet.")));
}

export function renderLayers() {
  const page = currentPage();
  // A keyboard user's place survives the redraw: the same button of the same row.
  const active = document.activeElement;
  const row = active && $("layers").contains(active) ? active.closest("[data-tile], [data-section]") : null;
  const focus = row ? {
    attr: row.dataset.tile ? "tile" : "section", key: row.dataset.tile || row.dataset.section,
    cls: Array.from(active.classList).find((c) => ["move-up", "move-down", "duplicate", "delete", "layer-name"].includes(c)),
  } : null;
  const list = clear($("layers"));
  page.sections.forEach((section, i) => list.append(sectionRow(section, i, page)));
  if (!page.sections.length) list.append(h("li", { class: "layer-empty muted small" }, gettext("This page has no section yet.")));
  if (focus) {
    const again = list.querySelector(`[data-${focus.attr}="${CSS.escape(focus.key)}"] > .layer-row .${focus.cls}`);
    const fallback = list.querySelector(`[data-${focus.attr}="${CSS.escape(focus.key)}"] > .layer-row .layer-name`);
    const target = again && !again.disabled ? again : fallback;
    if (target) target.focus({ preventScroll: true });
  }
}
