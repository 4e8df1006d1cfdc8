// The settings beside the canvas (a bottom sheet on phones): the selected tile's form (drawn
// by settings.js from the tile type's schema), the selected section's layout, or the page's
// title and address. Also the live region, and the "Deleted — Undo" toast.
import { rows } from "./api.js";
import { locateSection, locateTile } from "./document.js";
import { clear, h } from "./dom.js";
import {
  clearSelection, commit, deletePage, deleteSection, deleteTile, duplicatePage, duplicateSection,
  duplicateTile, setPageField, setSectionLayout, undo,
} from "./edits.js";
import { SECTION_LAYOUTS } from "./layers.js";
import { caretOffsets, restoreCaret } from "./richtext.js";
import { productCache, renderSettings } from "./settings.js";
import {
  $, api, canEdit, currentPage, root, gettext, interpolate, problemsFor, sectionLabel, state, storeId,
  tileLabel,
} from "./state.js";
import { showsTheme, themePanel } from "./theme.js";

const PHONE = window.matchMedia("(max-width: 899px)");

function say(format, values) {
  return interpolate(gettext(format), values, true);
}

let shownProblems = "";

// Wrong values redraw the form (their messages sit in it); what is still missing is noted
// next to its field without a redraw (findings.js markFields), so typing is never disturbed.
function problemsKey() {
  if (!state.tileKey) return "";
  const { errors } = problemsFor((e) => e.tile === state.tileKey);
  return JSON.stringify(errors.map((e) => [e.field, e.message]));
}

// Redrawn only when what the server says about the selected tile changed (the field the
// user is typing in keeps its focus and caret).
export function refreshPanelProblems() {
  if (problemsKey() !== shownProblems) renderPanel();
}

export function renderPanel({ keepFocus = true } = {}) {
  const panel = $("settings");
  const active = document.activeElement;
  const focusId = keepFocus && active && active.id && panel.contains(active) ? active.id : null;
  const range = focusId && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  const caret = focusId && active.isContentEditable ? caretOffsets(active) : null;
  shownProblems = problemsKey();
  // Searches in progress are not part of the tile: they survive the redraw too.
  const searches = Array.from(panel.querySelectorAll("input[type=search][id]"))
    .filter((input) => input.value).map((input) => [input.id, input.value]);
  const scroll = panel.scrollTop;
  const body = clear($("panel-body"));
  const tile = state.tileKey ? locateTile(state.doc, state.tileKey) : null;
  const section = !tile && state.sectionKey ? locateSection(state.doc, state.sectionKey) : null;
  if (tile) tilePanel(body, tile);
  else if (section) sectionPanel(body, section);
  else if (showsTheme()) themePanel(body);
  else pagePanel(body);
  panel.dataset.shows = tile ? "tile" : section ? "section" : showsTheme() ? "theme" : "page";
  panel.dataset.tile = tile ? tile.tile.key : "";
  for (const [id, text] of searches) {
    const input = $(id);
    if (input && !input.value) {
      input.value = text;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  panel.scrollTop = scroll;
  const again = focusId && $(focusId);
  if (again) {
    again.focus({ preventScroll: true });
    if (range && typeof again.setSelectionRange === "function") {
      try { again.setSelectionRange(...range); } catch (error) { /* not a text field */ }
    }
    if (caret && again.isContentEditable) restoreCaret(again, caret);
  }
}

export function openSheet(open) {
  $("settings").classList.toggle("is-open", open);
  document.body.classList.toggle("sheet-open", open && PHONE.matches);
}

function tilePanel(body, found) {
  const { tile } = found;
  const { errors, incomplete } = problemsFor((e) => e.tile === tile.key);
  const form = h("div", { class: "tile-settings" });
  body.append(form);
  renderSettings(form, {
    tile,
    tileType: state.typeByName.get(tile.type),
    errors,
    incomplete,
    readOnly: !canEdit,
    api, storeId, brandSlug: state.brandSlug, assets: state.assets, doc: state.doc, pages: state.doc.pages,
    refresh: () => renderPanel(),
    freshConfig: () => {
      const now = locateTile(state.doc, tile.key);
      return now ? now.tile.config : null;
    },
    changed: () => commit({ coalesce: `tile:${tile.key}`, fromPanel: true }),
    close: () => { clearSelection(); openSheet(false); },
    ensureProducts,
  });
  if (canEdit) {
    body.append(h("div", { class: "panel-actions" },
      h("button", { type: "button", class: "btn btn-small", id: "duplicate-tile",
        onclick: () => duplicateTile(tile.key) }, say("Duplicate %(tile)s", { tile: tileLabel(tile) })),
      h("button", { type: "button", class: "btn btn-small btn-danger", id: "delete-tile",
        onclick: () => deleteTile(tile.key) }, say("Delete %(tile)s", { tile: tileLabel(tile) }))));
  }
}

function sectionPanel(body, found) {
  const { section, page } = found;
  const label = sectionLabel(page, section);
  const select = h("select", { id: "section-layout", disabled: !canEdit,
    onchange: (e) => setSectionLayout(section.key, e.target.value) },
  SECTION_LAYOUTS.map(([value, text]) => h("option", { value }, text)));
  select.value = section.layout || "full";
  body.append(
    h("div", { class: "settings-head" }, h("h2", { id: "panel-heading" }, label),
      closeButton()),
    h("label", { for: "section-layout" }, gettext("Layout on desktops")),
    select,
    h("p", { class: "hint" }, gettext("On phones every section is one column.")),
    canEdit ? h("div", { class: "panel-actions" },
      h("button", { type: "button", class: "btn btn-small", id: "duplicate-section",
        onclick: () => duplicateSection(section.key) }, say("Duplicate %(section)s", { section: label })),
      h("button", { type: "button", class: "btn btn-small btn-danger", id: "delete-section",
        onclick: () => deleteSection(section.key) }, say("Delete %(section)s", { section: label }))) : null);
}

function pagePanel(body) {
  const page = currentPage();
  const title = h("input", { id: "page-title", value: page.title || "", maxlength: root.dataset.pageTitleMax || 60, disabled: !canEdit,
    oninput: (e) => setPageField("title", e.target.value) });
  body.append(
    h("div", { class: "settings-head" }, h("h2", { id: "panel-heading" },
      page.parent ? say("Page: %(title)s", { title: page.title }) : gettext("Home page")),
    closeButton()),
    h("label", { for: "page-title" }, gettext("Title")), title,
    h("label", { for: "page-description" }, gettext("Description (search results and shared links)")),
    h("textarea", { id: "page-description", rows: 3, maxlength: root.dataset.pageDescriptionMax || 300,
      disabled: !canEdit, oninput: (e) => setPageField("description", e.target.value) }, page.description || ""),
    h("p", { class: "hint" }, gettext("Leave empty for a description made from the Store and page names.")));
  if (page.parent) {
    body.append(
      h("label", { for: "page-slug" }, gettext("Address")),
      h("input", { id: "page-slug", value: page.slug || "", maxlength: root.dataset.pageSlugMax || 60, pattern: "[a-z0-9-]*", disabled: !canEdit,
        oninput: (e) => setPageField("slug", e.target.value) }),
      h("p", { class: "hint" }, gettext("Lowercase letters, digits and hyphens: the last part of the page's address.")),
      canEdit ? h("div", { class: "panel-actions" },
        h("button", { type: "button", class: "btn btn-small", id: "duplicate-page",
          onclick: () => duplicatePage(page.key) }, gettext("Duplicate this page")),
        h("button", { type: "button", class: "btn btn-small btn-danger", id: "delete-page",
          onclick: () => deletePage(page.key) }, gettext("Delete this page"))) : null);
  }
  const problems = [...state.errors, ...state.incomplete].filter((e) => e.page === page.key && !e.tile && !e.section);
  if (problems.length) body.append(h("ul", { class: "error-list" }, problems.map((e) => h("li", {}, e.message))));
  body.append(h("p", { class: "hint" }, gettext("Click a tile or a section on the canvas to change it.")));
}

function closeButton() {
  return h("button", { type: "button", class: "icon-btn settings-close", "aria-label": gettext("Close settings"),
    onclick: () => { clearSelection(); openSheet(false); } }, h("span", { "aria-hidden": "true" }, "✕"));
}

export async function ensureProducts(asins) {
  let found = false;
  for (const asin of asins) {
    if (productCache.has(asin)) continue;
    productCache.set(asin, null);
    try {
      for (const product of rows(await api.get(`products/?q=${encodeURIComponent(asin)}`))) {
        if (product.asin === asin) { productCache.set(asin, product); found = true; }
      }
    } catch (error) { /* shown as the bare ASIN */ }
  }
  return found;
}

// --- telling people what happened ---------------------------------------------------------

export function announce(text) {
  if (!text) return;
  const region = $("announcer");
  region.textContent = "";
  // A new text node a moment later: screen readers read the same message twice in a row too.
  setTimeout(() => { region.textContent = text; }, 50);
}

let toastTimer = null;

export function showUndoToast(text) {
  const toast = $("toast");
  clear(toast).append(
    h("span", { class: "toast-text" }, text),
    h("button", { type: "button", class: "btn btn-small", id: "toast-undo",
      onclick: () => { hideToast(); undo(); } }, gettext("Undo")),
    h("button", { type: "button", class: "icon-btn", "aria-label": gettext("Dismiss"),
      onclick: hideToast }, h("span", { "aria-hidden": "true" }, "✕")));
  toast.hidden = false;
  announce(say("%(what)s. Press Undo to bring it back.", { what: text }));
  clearTimeout(toastTimer);
  toastTimer = setTimeout(hideToast, 10_000);
  return toast.querySelector("#toast-undo");
}

export function hideToast() {
  clearTimeout(toastTimer);
  $("toast").hidden = true;
}
