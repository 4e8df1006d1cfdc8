// The Store editor: the page itself on a live canvas (canvas.js), the layers list
// (layers.js), the page tree (pages.js), the settings beside or below (panels.js), with
// every edit saved at once (save.js) and undoable (history.js, edits.js). This module loads
// the data and wires the views to the events of state.js.
import { rows } from "./api.js";
import { clear, h } from "./dom.js";
import {
  DEVICES, fit, paletteDrag, refreshCanvas, scrollToSelection, setDevice, setupCanvas, syncCanvas,
} from "./canvas.js";
import { addSection, addTileToPage, redo, selectTile, undo } from "./edits.js";
import { createFindings } from "./findings.js";
import { canRedo, canUndo, resetHistory } from "./history.js";
import { renderLayers } from "./layers.js";
import { addPage, renderPageTree } from "./pages.js";
import { announce, hideToast, openSheet, refreshPanelProblems, renderPanel, showUndoToast } from "./panels.js";
import { saveNow, showStatus } from "./save.js";
import {
  $, api, canEdit, currentPage, gettext, interpolate, on, root, state, storeId,
} from "./state.js";
import {
  discardDraft, loadSubmissions, openVersions, renderBanners, submitStore,
} from "./status.js";
import { setupSharing } from "./sharing.js";
import { setupTheme } from "./theme.js";
import "./widgets/hotspots.js";
import "./widgets/image.js";
import "./widgets/link.js";
import "./widgets/video_url.js";

const PHONE = window.matchMedia("(max-width: 899px)");
let shownPage = null;
let findingsTimer = null;

// The automated checks' findings on the draft, shown on the tiles before Submit.
state.checks = createFindings({
  api, storeId, onSelectTile: (key) => selectTile(key),
  onChange: (findings, incomplete) => {
    state.findings = Array.isArray(findings) ? findings : [];
    if (Array.isArray(incomplete)) state.incomplete = incomplete;
    refreshPanelProblems();
    renderPageTree();
    renderLayers();
    syncCanvas();
  },
});

function updateUndo() {
  $("undo").disabled = !canUndo() || !canEdit;
  $("redo").disabled = !canRedo() || !canEdit;
}

function pageMaybeChanged() {
  if (shownPage !== state.pageKey) {
    shownPage = state.pageKey;
    refreshCanvas();
    return true;
  }
  return false;
}

function redraw({ panel = true } = {}) {
  renderPageTree();
  renderLayers();
  syncCanvas();
  if (panel) renderPanel();
  updateUndo();
  pageMaybeChanged();
}

on("changed", ({ announce: message, undoToast, fromPanel }) => {
  redraw({ panel: !fromPanel });
  if (undoToast) {
    const lostFocus = !document.activeElement || document.activeElement === document.body;
    const button = showUndoToast(undoToast);
    if (lostFocus) button.focus();
  } else if (!fromPanel) {
    hideToast();
  }
  if (message) announce(message);
  if (!fromPanel) {
    openSheet(Boolean(state.tileKey || state.sectionKey));
    scrollToSelection();
  }
});

on("replaced", ({ announce: message } = {}) => {
  redraw();
  refreshCanvas();
  clearTimeout(findingsTimer);
  findingsTimer = setTimeout(() => state.checks.refresh(), 1500);
  hideToast();
  if (message) announce(message);
});

on("selected", ({ reveal = true } = {}) => {
  renderPageTree();
  renderLayers();
  syncCanvas();
  renderPanel({ keepFocus: false });
  pageMaybeChanged();
  const selected = Boolean(state.tileKey || state.sectionKey);
  openSheet(selected);
  if (reveal && selected) scrollToSelection();
});

on("saved", () => {
  state.checks.adopt({ incomplete: state.incomplete });
  refreshCanvas();
  clearTimeout(findingsTimer);
  findingsTimer = setTimeout(() => state.checks.refresh(), 1500);
  renderLayers();
  renderPageTree();
  refreshPanelProblems();
  renderBanners();
});

on("problems", () => {
  renderLayers();
  renderPageTree();
  syncCanvas();
  renderPanel();
  renderBanners();
  showStatus();
});

on("banners", renderBanners);
on("asset-changed", () => refreshCanvas());
on("drawers", ({ close }) => {
  if (!close || !$("side").classList.contains("is-open")) return;
  const hadFocus = $("side").contains(document.activeElement);
  toggleDrawer(false);
  // The focus follows to the settings sheet that took the drawer's place.
  const sheet = $("settings");
  if (hadFocus && PHONE.matches && sheet.classList.contains("is-open")) {
    const target = sheet.querySelector("button, input, select, textarea, [tabindex]");
    if (target) target.focus();
  }
});

// --- palette ------------------------------------------------------------------------------

function setupPalette() {
  const palette = clear($("palette"));
  const item = (dataset, label, description, addLabel) => h("li", {
    class: "palette-item", dataset, title: description || "" },
  h("span", { class: "drag-handle", "aria-hidden": "true" }, "⠿"),
  h("span", { class: "palette-label" }, label),
  h("button", { type: "button", class: "icon-btn palette-add", "aria-label": addLabel, title: addLabel, disabled: !canEdit },
    h("span", { "aria-hidden": "true" }, "+")));
  palette.append(item({ kind: "section" }, gettext("Section"), gettext("A band across the page that holds tiles."),
    gettext("Add a section at the end of the page")));
  for (const type of state.tileTypes) {
    palette.append(item({ type: type.name }, type.label, type.description,
      interpolate(gettext("Add a %(tile)s tile to the chosen section"), { tile: type.label }, true)));
  }
  palette.addEventListener("click", (event) => {
    const button = event.target.closest(".palette-add");
    if (!button) return;
    const entry = button.closest(".palette-item");
    if (entry.dataset.kind === "section") addSection(currentPage().sections.length);
    else addTileToPage(entry.dataset.type);
    if (PHONE.matches) toggleDrawer(false);
  });
  palette.addEventListener("pointerdown", (event) => {
    const entry = event.target.closest(".palette-item");
    if (!entry || event.target.closest(".palette-add")) return;
    paletteDrag(event, entry);
  });
}

// --- toolbar ------------------------------------------------------------------------------

function setPressed(selector, attr, value) {
  document.querySelectorAll(selector).forEach((b) => b.setAttribute("aria-pressed", String(b.dataset[attr] === value)));
}

function toggleDrawer(open) {
  const side = $("side");
  const show = open === undefined ? !side.classList.contains("is-open") : open;
  side.classList.toggle("is-open", show);
  $("open-drawer").setAttribute("aria-expanded", String(show));
  if (show && PHONE.matches) side.querySelector("button, summary, input").focus();
}

function isEditable(el) {
  return el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

function wire() {
  $("add-page").addEventListener("submit", addPage);
  $("undo").addEventListener("click", undo);
  $("redo").addEventListener("click", redo);
  $("save-now").addEventListener("click", () => saveNow());
  setupSharing();
  $("submit-store").addEventListener("click", submitStore);
  $("discard-draft").addEventListener("click", discardDraft);
  $("open-versions").addEventListener("click", openVersions);
  $("close-versions").addEventListener("click", () => $("versions").close());
  $("open-drawer").addEventListener("click", () => toggleDrawer());
  $("close-drawer").addEventListener("click", () => toggleDrawer(false));
  $("page-settings").addEventListener("click", () => {
    state.tileKey = null;
    state.sectionKey = null;
    renderLayers();
    syncCanvas();
    renderPanel({ keepFocus: false });
    openSheet(true);
    $("page-title").focus();
  });
  document.querySelectorAll("[data-device]").forEach((b) => b.addEventListener("click", () => {
    setDevice(b.dataset.device);
    setPressed("[data-device]", "device", state.device);
    announce(interpolate(gettext("Canvas width: %(width)s pixels"), { width: DEVICES[state.device] }, true));
  }));
  $("stock-scenario").addEventListener("change", (e) => {
    state.stock = e.target.value;
    refreshCanvas();
  });
  document.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === "z" && !isEditable(document.activeElement)) {
      e.preventDefault();
      if (e.shiftKey) redo(); else undo();
    } else if (mod && e.key.toLowerCase() === "y" && !isEditable(document.activeElement)) {
      e.preventDefault();
      redo();
    } else if (e.key === "Escape" && $("side").classList.contains("is-open") && PHONE.matches) {
      toggleDrawer(false);
    }
  });
  PHONE.addEventListener("change", () => { fit(); openSheet(Boolean(state.tileKey || state.sectionKey)); });
  if (!canEdit) {
    root.querySelectorAll("#add-page button, #save-now, #submit-store, #share-link, #discard-draft").forEach((el) => { el.disabled = true; });
  }
}

async function start() {
  try {
    const [draft, tileTypes, templates, store, assets] = await Promise.all([
      api.get(`stores/${storeId}/draft/`),
      api.get("tile-types/"),
      api.get("page-templates/"),
      api.get(`stores/${storeId}/`),
      api.get(`stores/${storeId}/assets/?limit=200`),
    ]);
    state.revision = draft.revision;
    state.incomplete = Array.isArray(draft.incomplete) ? draft.incomplete : [];
    delete draft.revision;
    delete draft.incomplete;
    state.doc = draft;
    state.doc.pages = state.doc.pages || [];
    state.doc.pages.forEach((page) => {
      page.sections = page.sections || [];
      page.sections.forEach((section) => { section.tiles = section.tiles || []; });
    });
    state.pageKey = (state.doc.pages.find((p) => !p.parent) || state.doc.pages[0]).key;
    state.tileTypes = rows(tileTypes);
    state.typeByName = new Map(state.tileTypes.map((t) => [t.name, t]));
    state.templates = rows(templates);
    state.status = store.status;
    state.statusLabel = store.status_label;
    state.brandSlug = store.brand_slug || null;
    rows(assets).forEach((asset) => state.assets.set(asset.id, asset));
  } catch (error) {
    $("save-status").textContent = interpolate(gettext("Could not load the Store: %(reason)s"), { reason: error.message }, true);
    return;
  }
  resetHistory(state.doc);
  const select = clear($("add-page-template"));
  state.templates.forEach((t) => select.append(h("option", { value: t.key, title: t.description }, t.label)));
  await loadSubmissions();
  shownPage = state.pageKey;
  if (PHONE.matches) {
    // On a phone the canvas is the page, at the phone's own width.
    state.device = "phone";
    setPressed("[data-device]", "device", "phone");
  }
  setupPalette();
  wire();
  setupTheme({ renderPanel, openSheet });
  setupCanvas();
  renderPageTree();
  renderLayers();
  renderPanel();
  renderBanners();
  updateUndo();
  showStatus();
  state.checks.refresh();
  root.classList.add("is-ready");
}

start();
