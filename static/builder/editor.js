// The Store editor: page tree, palette, sections and tiles (SortableJS drag and drop, with
// move up / move down buttons for keyboards), tile settings, autosave with conflict
// detection, stock-health hints, preview, share link and submission.
import { createApi, rows } from "./api.js";
import {
  childrenOf, clone, depthOf, descendants, findPage, heightOf, locateSection, locateTile,
  MAX_DEPTH, move, newKey, uniqueSlug,
} from "./document.js";
import { clear, h, iconButton, slugify } from "./dom.js";
import { caretOffsets, restoreCaret } from "./richtext.js";
import { productCache, renderSettings, tileSummary as summarise } from "./settings.js";
import { createFindings } from "./findings.js";

const AUTOSAVE_MS = 800;
const SECTION_LAYOUTS = [["full", "Full width"], ["halves", "Two columns"], ["thirds", "Three columns"], ["quarters", "Four columns"]];
const STATUS_LABELS = { draft: "Draft", in_review: "In review", published: "Published", rejected: "Rejected" };

const root = document.getElementById("editor");
const storeId = root.dataset.storeId;
const canEdit = root.dataset.canEdit === "true";
const api = createApi({ root: root.dataset.apiRoot, csrfToken: root.dataset.csrfToken });
const $ = (id) => document.getElementById(id);
const findings = createFindings({ api, storeId, onSelectTile: (key) => selectTile(key) });

const state = {
  doc: null, revision: 0, pageKey: "home", tileKey: null, sectionKey: null,
  tileTypes: [], typeByName: new Map(), templates: [], assets: new Map(),
  errors: [], rejection: null, health: {}, conflict: null, notice: null,
  status: root.querySelector("#store-status").className.replace(/.*badge-/, ""),
  brandSlug: null, device: "desktop", stock: "live",
};

let changeSeq = 0;
let savedSeq = 0;
let saveTimer = null;
let inflight = null;
let sortables = [];

// --- Saving ---------------------------------------------------------------------------

function setSaveStatus(text, kind = "") {
  const el = $("save-status");
  el.textContent = text;
  el.className = `save-status ${kind}`.trim();
}

function refreshSaveStatus() {
  if (state.conflict) setSaveStatus("Not saved: changed elsewhere", "is-error");
  else if (inflight) setSaveStatus("Saving…", "is-busy");
  else if (state.errors.length && changeSeq !== 0 && changeSeq === savedSeq && isDirty()) {
    setSaveStatus(`Not saved: ${state.errors.length} problem${state.errors.length > 1 ? "s" : ""}`, "is-error");
  } else if (isDirty()) setSaveStatus("Unsaved changes", "is-dirty");
  else setSaveStatus(`All changes saved (revision ${state.revision})`, "is-ok");
}

let dirty = false;
const isDirty = () => dirty;

function changed({ render = true } = {}) {
  changeSeq += 1;
  dirty = true;
  if (render) renderCanvas();
  refreshSaveStatus();
  if (state.conflict || !canEdit) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => { saveNow(); }, AUTOSAVE_MS);
}

async function saveNow() {
  clearTimeout(saveTimer);
  if (inflight) await inflight;
  if (!canEdit || state.conflict || !dirty || changeSeq === savedSeq) return;
  inflight = doSave();
  try { await inflight; } finally { inflight = null; refreshSaveStatus(); }
}

// JSON with sorted keys: the server's normal form may order keys differently.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function adoptServerDocument(saved) {
  // The server's normal form (sanitised text, filled-in defaults) replaces ours; the
  // settings panel is rebuilt on the new objects.
  state.doc = saved;
  renderAllKeepingFocus();
}

function renderAllKeepingFocus() {
  keepingFocus(renderAll);
}

function keepingFocus(render) {
  // Rebuilds, then puts the focus and caret back in the settings field they were in.
  const active = document.activeElement;
  const focusId = active && active.id && $("settings").contains(active) ? active.id : null;
  const caret = focusId && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  // The text tile's editable area has no selectionStart: its caret is counted in characters.
  const textCaret = focusId && active.isContentEditable ? caretOffsets(active) : null;
  render();
  const again = focusId && $(focusId);
  if (again) {
    again.focus({ preventScroll: true });
    if (caret && typeof again.setSelectionRange === "function") {
      try { again.setSelectionRange(...caret); } catch (error) { /* not a text field */ }
    }
    if (textCaret && again.isContentEditable) restoreCaret(again, textCaret);
  }
}

async function doSave() {
  const seq = changeSeq;
  const body = { ...clone(state.doc), revision: state.revision };
  const sent = canonical(state.doc);
  refreshSaveStatus();
  try {
    const saved = await api.put(`stores/${storeId}/draft/`, body);
    // Not part of the document: what it still lacks (shown by findings.js at once).
    findings.adopt({ incomplete: saved.incomplete || [] });
    delete saved.incomplete;
    savedSeq = seq;
    state.revision = saved.revision;
    const hadErrors = state.errors.length > 0;
    state.errors = [];
    if (changeSeq === seq) {
      delete saved.revision;
      dirty = false;
      // Nothing changed here meanwhile: take the server's normal form if it differs.
      if (canonical(saved) !== sent) adoptServerDocument(saved);
      else if (hadErrors) renderAllKeepingFocus();
      else renderBanners();
    } else {
      if (hadErrors) renderAllKeepingFocus();
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => { saveNow(); }, AUTOSAVE_MS);
    }
    refreshHealth();
  } catch (error) {
    if (error.status === 409) {
      state.conflict = { current: error.errors && error.errors.current_revision };
      renderBanners();
    } else if (error.status === 400) {
      savedSeq = seq; // wait for the next change before trying again
      state.errors = normaliseErrors(error);
      renderAllKeepingFocus();
    } else if (error.status === 403) {
      savedSeq = seq;
      state.notice = { kind: "error", text: `Not saved: ${error.message}` };
      renderBanners();
    } else {
      // Offline or a server hiccup: keep the edits and try again shortly.
      setTimeout(() => { if (dirty) { savedSeq = -1; saveNow(); } }, 5000);
      state.notice = { kind: "warn", text: `Not saved yet (${error.message}). Retrying…` };
      renderBanners();
    }
  }
}

function normaliseErrors(error) {
  const errors = error.errors;
  if (Array.isArray(errors)) return errors;
  if (errors && typeof errors === "object") {
    return Object.entries(errors).map(([field, messages]) => ({
      field, message: `${field}: ${[].concat(messages).join(" ")}`,
    }));
  }
  return [{ message: error.message }];
}

async function resolveConflict(keepMine) {
  const server = await api.get(`stores/${storeId}/draft/`);
  state.revision = server.revision;
  state.conflict = null;
  if (keepMine) {
    savedSeq = -1;
    state.notice = { kind: "info", text: "Saving your version over the other change…" };
    renderBanners();
    await saveNow();
    state.notice = null;
  } else {
    delete server.revision;
    state.doc = server;
    dirty = false;
    savedSeq = changeSeq;
    state.errors = [];
    if (!findPage(state.doc, state.pageKey)) state.pageKey = "home";
    if (state.tileKey && !locateTile(state.doc, state.tileKey)) state.tileKey = null;
    refreshHealth();
  }
  renderAll();
  refreshSaveStatus();
}

// --- Rendering ------------------------------------------------------------------------

function currentPage() {
  return findPage(state.doc, state.pageKey) || state.doc.pages[0];
}

function renderAll({ keepSettings = false } = {}) {
  renderPageTree();
  renderCanvas();
  if (!keepSettings) renderTileSettings();
  renderBanners();
  refreshSaveStatus();
}

function errorsFor(predicate) {
  return state.errors.filter(predicate);
}

function renderBanners() {
  const box = clear($("banners"));
  if (state.conflict) {
    box.append(h("div", { class: "alert alert-error conflict", role: "alert" },
      h("strong", {}, "This Store was changed somewhere else "),
      `(another tab or a colleague${state.conflict.current ? `, now at revision ${state.conflict.current}` : ""}). `,
      "Your latest edits are NOT saved, but they are still here on this page: nothing is lost. ",
      h("div", { class: "alert-actions" },
        h("button", { type: "button", class: "btn btn-small btn-primary", id: "conflict-keep",
          onclick: () => resolveConflict(true) }, "Keep my version and save it"),
        h("button", { type: "button", class: "btn btn-small", id: "conflict-reload",
          onclick: () => { if (window.confirm("Discard your unsaved edits and load the saved version?")) resolveConflict(false); } },
        "Load the saved version instead"))));
  }
  if (state.notice) {
    box.append(h("div", { class: `alert alert-${state.notice.kind}`, role: "status" }, state.notice.text));
  }
  const stray = errorsFor((e) => !e.tile && !e.section && !e.page);
  if (stray.length) {
    box.append(h("div", { class: "alert alert-error", role: "alert" },
      h("strong", {}, "Not saved. "), h("ul", {}, stray.map((e) => h("li", {}, e.message)))));
  }
  const placed = state.errors.length - stray.length;
  if (placed) {
    box.append(h("div", { class: "alert alert-error", role: "alert" },
      `Not saved: ${placed} problem${placed > 1 ? "s" : ""} marked on the page${placed > 1 ? "s" : ""} and tiles below.`));
  }
  if (state.rejection) {
    const { submission, reasons } = state.rejection;
    box.append(h("div", { class: "alert alert-warn rejection" },
      h("strong", {}, `Version ${submission.version ?? ""} was rejected. `),
      "Fix what the moderator noted and submit again.",
      h("ul", {}, reasons.map((r) => h("li", {},
        r.tile ? h("button", { type: "button", class: "link-btn", onclick: () => selectTile(r.tile) }, tileName(r.tile)) : "Whole Store",
        `: ${r.note || r.code}`, r.code ? h("span", { class: "muted" }, ` (${r.code})`) : null)))));
  }
  if (state.submission && state.submission.status !== "rejected") {
    const due = state.submission.sla_deadline ? new Date(state.submission.sla_deadline).toLocaleString() : "";
    box.append(h("div", { class: "alert alert-info", role: "status", id: "submission-info" },
      `Submitted for review (status: ${state.submission.status.replace(/_/g, " ")})`,
      due ? `, decision due by ${due}` : "",
      ". You can keep editing: the submitted version is a snapshot."));
  }
  const badge = $("store-status");
  badge.className = `badge badge-${state.status}`;
  badge.textContent = STATUS_LABELS[state.status] || state.status;
}

function tileName(key) {
  // "Text tile on Home, section 2" reads better than a key; a deleted tile keeps its key.
  const where = locateTile(state.doc, key);
  if (!where) return `Tile ${key} (no longer in the draft)`;
  const type = state.typeByName.get(where.tile.type);
  const sectionNumber = where.page.sections.indexOf(where.section) + 1;
  return `${type ? type.label : where.tile.type} tile on ${where.page.title || "Home"}, section ${sectionNumber}`;
}

function renderPageTree() {
  const tree = clear($("page-tree"));
  const build = (parentKey, depth, container) => {
    const kids = childrenOf(state.doc, parentKey);
    kids.forEach((page, i) => {
      const prev = kids[i - 1];
      const canIndent = page.key !== "home" && parentKey !== null && prev &&
        depthOf(state.doc, prev) + heightOf(state.doc, page) <= MAX_DEPTH;
      const canOutdent = depth > 2;
      const hasErrors = state.errors.some((e) => e.page === page.key);
      const selected = page.key === state.pageKey;
      const li = h("li", { class: `page-node${selected ? " is-selected" : ""}`, dataset: { page: page.key } },
        h("div", { class: "page-row" },
          h("button", { type: "button", class: "page-link", "aria-current": selected ? "page" : null,
            onclick: () => selectPage(page.key) },
          page.title || "(untitled)", hasErrors ? h("span", { class: "error-dot", title: "Has problems" }, "!") : null)),
        // The chosen page's tools: reorder among its siblings, nest, un-nest, delete.
        canEdit && page.parent && selected ? h("div", { class: "page-tools", role: "group", "aria-label": `Arrange page ${page.title}` },
          iconButton("↑", `Move page ${page.title} up`, () => swapPages(page, prev), { disabled: !prev, cls: "move-up" }),
          iconButton("↓", `Move page ${page.title} down`, () => swapPages(page, kids[i + 1]), { disabled: !kids[i + 1], cls: "move-down" }),
          iconButton("→", `Nest page ${page.title} under the page above`, () => reparent(page, prev.key), { disabled: !canIndent, cls: "nest" }),
          iconButton("←", `Move page ${page.title} one level up`, () => outdent(page), { disabled: !canOutdent, cls: "unnest" }),
          iconButton("✕", `Delete page ${page.title}`, () => deletePage(page), { cls: "danger delete" })) : null);
      const ul = h("ul");
      build(page.key, depth + 1, ul);
      if (ul.children.length) li.append(ul);
      container.append(li);
    });
  };
  build(null, 1, tree);
  // The "add a page" form offers parents that leave room for one more level.
  const parent = clear($("add-page-parent"));
  for (const page of state.doc.pages) {
    const depth = depthOf(state.doc, page);
    if (depth < MAX_DEPTH) parent.append(h("option", { value: page.key }, `${"— ".repeat(depth - 1)}${page.title || page.key}`));
  }
  const current = currentPage();
  parent.value = depthOf(state.doc, current) < MAX_DEPTH ? current.key : "home";
}

function tileSummary(tile) {
  return summarise(tile, state.typeByName.get(tile.type));
}

function healthHint(tile) {
  const health = state.health[tile.key];
  if (!health) return null;
  const { products = 0, hidden = 0, unbuyable = 0 } = health;
  const type = state.typeByName.get(tile.type);
  const automatic = Boolean(type && type.flags && type.flags.automatic) || (tile.config && tile.config.mode === "automated");
  const plural = (n) => `${n} product${n === 1 ? "" : "s"}`;
  if (products === 0) {
    return h("p", { class: "health health-warn" }, automatic
      ? "No product to show right now: shoppers won't see this tile."
      : `All ${plural(hidden)} out of stock: shoppers see nothing here right now.`);
  }
  if (automatic) {
    // Automatic tiles skip out-of-stock products and fill up with the next ones.
    return h("p", { class: hidden ? "health health-info" : "health health-ok" },
      hidden ? `${plural(products)} shown; ${hidden} skipped right now (out of stock).` : `${plural(products)} shown, all in stock.`);
  }
  if (hidden > 0) {
    return h("p", { class: "health health-warn" }, `${hidden} of ${plural(products + hidden)} hidden from shoppers right now (out of stock).`);
  }
  if (unbuyable > 0) {
    return h("p", { class: "health health-info" }, `${unbuyable} of ${plural(products)} shown without price: out of stock.`);
  }
  return h("p", { class: "health health-ok" }, `All ${plural(products)} in stock.`);
}

function renderTile(tile, index, section, sectionIndex, page) {
  const type = state.typeByName.get(tile.type);
  const label = type ? type.label : tile.type;
  const errs = errorsFor((e) => e.tile === tile.key);
  const reasons = state.rejection ? state.rejection.reasons.filter((r) => r.tile === tile.key) : [];
  const isFirst = index === 0 && sectionIndex === 0;
  const isLast = index === section.tiles.length - 1 && sectionIndex === page.sections.length - 1;
  return h("li", {
    class: `tile${tile.key === state.tileKey ? " is-selected" : ""}${errs.length ? " has-error" : ""}${reasons.length ? " has-rejection" : ""}`,
    dataset: { tile: tile.key, type: tile.type },
  },
  canEdit ? h("span", { class: "drag-handle tile-handle", title: "Drag to move", "aria-hidden": "true" }, "⠿") : null,
  h("div", { class: "tile-body" },
    h("button", { type: "button", class: "tile-name", "aria-label": `Edit ${label} tile ${tile.key}`,
      onclick: () => selectTile(tile.key) }, label),
    h("span", { class: "tile-summary" }, tileSummary(tile)),
    healthHint(tile),
    errs.length ? h("ul", { class: "error-list" }, errs.map((e) => h("li", {}, e.message))) : null,
    reasons.length ? h("ul", { class: "rejection-list" }, reasons.map((r) => h("li", {}, `Moderator: ${r.note || r.code}`))) : null),
  canEdit ? h("div", { class: "tile-tools" },
    iconButton("↑", `Move tile ${label} up`, () => moveTile(tile.key, -1), { disabled: isFirst, cls: "move-up" }),
    iconButton("↓", `Move tile ${label} down`, () => moveTile(tile.key, 1), { disabled: isLast, cls: "move-down" }),
    iconButton("✕", `Delete tile ${label}`, () => deleteTile(tile.key), { cls: "danger" })) : null);
}

function renderSection(section, index, page) {
  const errs = errorsFor((e) => e.section === section.key && !e.tile);
  const selected = section.key === state.sectionKey;
  const layout = h("select", { "aria-label": `Layout of section ${index + 1}`, disabled: !canEdit,
    onchange: (e) => { section.layout = e.target.value; changed(); } },
  SECTION_LAYOUTS.map(([value, text]) => h("option", { value }, text)));
  if (section.layout && !SECTION_LAYOUTS.some(([v]) => v === section.layout)) {
    layout.append(h("option", { value: section.layout }, section.layout));
  }
  layout.value = section.layout || "full";
  return h("li", { class: `section${selected ? " is-selected" : ""}${errs.length ? " has-error" : ""}`, dataset: { section: section.key } },
    h("div", { class: "section-head" },
      canEdit ? h("span", { class: "drag-handle section-handle", title: "Drag to move the section", "aria-hidden": "true" }, "⠿") : null,
      h("button", { type: "button", class: "section-name", "aria-pressed": selected ? "true" : "false",
        onclick: () => { state.sectionKey = section.key; renderCanvas(); } }, `Section ${index + 1}`),
      layout,
      canEdit ? h("span", { class: "row-tools" },
        iconButton("↑", `Move section ${index + 1} up`, () => moveSection(section.key, -1), { disabled: index === 0, cls: "move-up" }),
        iconButton("↓", `Move section ${index + 1} down`, () => moveSection(section.key, 1), { disabled: index === page.sections.length - 1, cls: "move-down" }),
        iconButton("✕", `Delete section ${index + 1}`, () => deleteSection(section.key), { cls: "danger" })) : null),
    errs.length ? h("ul", { class: "error-list" }, errs.map((e) => h("li", {}, e.message))) : null,
    h("ol", { class: "tiles", dataset: { section: section.key }, "aria-label": `Tiles of section ${index + 1}` },
      section.tiles.map((tile, i) => renderTile(tile, i, section, index, page))));
}

let dragging = false;
let canvasStale = false;

function renderCanvas() {
  // Never rebuild the lists under a drag in progress (an autosave may finish meanwhile).
  if (dragging) { canvasStale = true; return; }
  canvasStale = false;
  const page = currentPage();
  const title = $("page-title");
  const slug = $("page-slug");
  if (document.activeElement !== title) title.value = page.title || "";
  if (document.activeElement !== slug) slug.value = page.slug || "";
  slug.disabled = !page.parent || !canEdit;
  title.disabled = !canEdit;
  $("page-heading").textContent = page.parent ? `Page: ${page.title}` : "Home page";
  const pageErrs = errorsFor((e) => e.page === page.key && !e.section && !e.tile);
  const errList = clear($("page-errors"));
  pageErrs.forEach((e) => errList.append(h("li", {}, e.message)));
  const sections = clear($("sections"));
  page.sections = page.sections || [];
  page.sections.forEach((section, i) => {
    section.tiles = section.tiles || [];
    sections.append(renderSection(section, i, page));
  });
  if (!page.sections.length) sections.append(h("li", { class: "empty-page" }, "This page has no section yet: drag “Section” here or press “Add a section”."));
  setupSortables();
  findings.apply();
  // A page may have errors on other pages' tiles too: mark them in the tree.
  document.querySelectorAll("#page-tree .page-node").forEach((node) => {
    node.classList.toggle("has-error", state.errors.some((e) => e.page === node.dataset.page));
  });
}

function renderTileSettings() {
  const found = state.tileKey ? locateTile(state.doc, state.tileKey) : null;
  const container = $("settings");
  container.classList.toggle("is-open", Boolean(found));
  renderSettings(container, {
    tile: found ? found.tile : null,
    tileType: found ? state.typeByName.get(found.tile.type) : null,
    errors: found ? errorsFor((e) => e.tile === found.tile.key) : [],
    readOnly: !canEdit,
    api, storeId, brandSlug: state.brandSlug, assets: state.assets, pages: state.doc.pages,
    refresh: () => keepingFocus(renderTileSettings),
    // The tile's config as it is now (the document may have been replaced meanwhile).
    freshConfig: () => {
      const now = found ? locateTile(state.doc, found.tile.key) : null;
      return now ? now.tile.config : null;
    },
    changed: () => changed(),
    close: () => { state.tileKey = null; renderCanvas(); renderTileSettings(); },
    ensureProducts,
  });
}

async function ensureProducts(asins) {
  let found = false;
  for (const asin of asins) {
    if (productCache.has(asin)) continue;
    productCache.set(asin, null);
    try {
      const list = rows(await api.get(`products/?q=${encodeURIComponent(asin)}`));
      for (const product of list) {
        if (product.asin === asin) { productCache.set(asin, product); found = true; }
      }
    } catch (error) { /* shown as the bare ASIN */ }
  }
  return found;
}

// --- Drag and drop (SortableJS) -------------------------------------------------------

function dragStarted() {
  dragging = true;
}

function dragEnded(handler) {
  return (evt) => {
    dragging = false;
    handler(evt);
    if (canvasStale) setTimeout(() => renderCanvas(), 0);
  };
}

function indexAmong(list, item, selector) {
  return Array.from(list.children)
    .filter((el) => el === item || (el.matches(selector) && !el.classList.contains("sortable-fallback")))
    .indexOf(item);
}

function setupSortables() {
  sortables.forEach((s) => s.destroy());
  sortables = [];
  if (!canEdit || !window.Sortable) return;
  const common = { animation: 150, forceFallback: true, fallbackOnBody: true, fallbackTolerance: 3,
    ghostClass: "is-ghost", chosenClass: "is-chosen", dragClass: "is-dragging" };
  sortables.push(window.Sortable.create($("sections"), {
    ...common, group: { name: "sections" }, handle: ".section-handle", draggable: ".section",
    onStart: dragStarted,
    onEnd: dragEnded((evt) => {
      if (evt.from !== evt.to) return;
      const page = currentPage();
      const from = page.sections.findIndex((s) => s.key === evt.item.dataset.section);
      const to = indexAmong(evt.to, evt.item, ".section");
      if (from < 0 || to < 0 || from === to) return;
      move(page.sections, from, to);
      setTimeout(() => changed(), 0);
    }),
  }));
  document.querySelectorAll("#sections ol.tiles").forEach((list) => {
    sortables.push(window.Sortable.create(list, {
      ...common, group: { name: "tiles" }, handle: ".tile-handle", draggable: ".tile",
      emptyInsertThreshold: 24,
      onStart: dragStarted,
      onEnd: dragEnded((evt) => {
        const key = evt.item.dataset.tile;
        const where = locateTile(state.doc, key);
        const target = locateSection(state.doc, evt.to.dataset.section);
        const to = indexAmong(evt.to, evt.item, ".tile");
        if (!where || !target || to < 0) return;
        if (where.section === target.section && where.index === to) return;
        const [tile] = where.section.tiles.splice(where.index, 1);
        target.section.tiles.splice(to, 0, tile);
        setTimeout(() => changed(), 0);
      }),
    }));
  });
}

function setupPalette() {
  const palette = clear($("palette"));
  for (const type of state.tileTypes) {
    palette.append(h("li", { class: "palette-item", dataset: { type: type.name }, title: type.description || "" },
      h("span", { class: "drag-handle", "aria-hidden": "true" }, "⠿"),
      h("span", { class: "palette-label" }, type.label),
      h("button", { type: "button", class: "btn btn-small palette-add", dataset: { type: type.name },
        "aria-label": `Add a ${type.label} tile to the chosen section`, disabled: !canEdit }, "Add")));
  }
  const sectionsPalette = clear($("palette-sections"));
  sectionsPalette.append(h("li", { class: "palette-item palette-section", dataset: { kind: "section" } },
    h("span", { class: "drag-handle", "aria-hidden": "true" }, "⠿"),
    h("span", { class: "palette-label" }, "Section"),
    h("button", { type: "button", class: "btn btn-small palette-add", dataset: { kind: "section" },
      "aria-label": "Add a section at the end of the page", disabled: !canEdit }, "Add")));
  // Delegated: SortableJS clones palette items, and clones carry no listeners.
  const onClick = (event) => {
    const button = event.target.closest(".palette-add");
    if (!button) return;
    if (button.dataset.kind === "section") addSection(currentPage().sections.length);
    else addTileToChosenSection(button.dataset.type);
  };
  palette.addEventListener("click", onClick);
  sectionsPalette.addEventListener("click", onClick);
  if (!canEdit || !window.Sortable) return;
  const common = { sort: false, forceFallback: true, fallbackOnBody: true, fallbackTolerance: 3,
    filter: ".palette-add", preventOnFilter: false, draggable: ".palette-item", animation: 150,
    ghostClass: "is-ghost", chosenClass: "is-chosen", dragClass: "is-dragging" };
  window.Sortable.create(palette, {
    ...common, group: { name: "tiles", pull: "clone", put: false },
    onStart: dragStarted,
    onEnd: dragEnded((evt) => {
      if (evt.to === evt.from) return;
      const section = locateSection(state.doc, evt.to.dataset.section);
      const index = indexAmong(evt.to, evt.item, ".tile");
      const type = evt.item.dataset.type;
      evt.item.remove();
      if (section) setTimeout(() => addTile(section.section, index, type), 0);
    }),
  });
  window.Sortable.create(sectionsPalette, {
    ...common, group: { name: "sections", pull: "clone", put: false },
    onStart: dragStarted,
    onEnd: dragEnded((evt) => {
      if (evt.to === evt.from) return;
      const index = indexAmong(evt.to, evt.item, ".section");
      evt.item.remove();
      setTimeout(() => addSection(index), 0);
    }),
  });
}

// --- Edits ----------------------------------------------------------------------------

function addSection(index) {
  const page = currentPage();
  const section = { key: newKey(state.doc, `${page.key}-s`), layout: "full", tiles: [] };
  page.sections.splice(Math.max(0, index), 0, section);
  state.sectionKey = section.key;
  changed();
  return section;
}

function addTile(section, index, typeName) {
  const type = state.typeByName.get(typeName);
  const tile = { key: newKey(state.doc, "t"), type: typeName, visibility: "all",
    config: clone(type ? type.default_config : {}) };
  section.tiles.splice(index < 0 ? section.tiles.length : index, 0, tile);
  state.sectionKey = section.key;
  state.tileKey = tile.key;
  changed();
  renderTileSettings();
  revealSettings();
}

function addTileToChosenSection(typeName) {
  const page = currentPage();
  let section = page.sections.find((s) => s.key === state.sectionKey);
  if (!section) section = page.sections[page.sections.length - 1] || addSection(page.sections.length);
  addTile(section, section.tiles.length, typeName);
  const added = document.querySelector(`[data-tile="${state.tileKey}"]`);
  if (added && window.matchMedia("(min-width: 1024px)").matches) {
    added.scrollIntoView({ block: "nearest" });
    added.querySelector(".tile-name").focus({ preventScroll: true });
  }
}

function moveTile(key, delta) {
  const where = locateTile(state.doc, key);
  if (!where) return;
  const { page, section, index } = where;
  const sectionIndex = page.sections.indexOf(section);
  const to = index + delta;
  if (to >= 0 && to < section.tiles.length) {
    move(section.tiles, index, to);
  } else {
    // Past the end of its section: the tile moves on into the neighbouring section.
    const next = page.sections[sectionIndex + delta];
    if (!next) return;
    const [tile] = section.tiles.splice(index, 1);
    if (delta < 0) next.tiles.push(tile); else next.tiles.unshift(tile);
  }
  changed();
  focusAfterRender(`[data-tile="${key}"] .${delta < 0 ? "move-up" : "move-down"}`, `[data-tile="${key}"] .tile-name`);
}

function moveSection(key, delta) {
  const page = currentPage();
  const index = page.sections.findIndex((s) => s.key === key);
  const to = index + delta;
  if (index < 0 || to < 0 || to >= page.sections.length) return;
  move(page.sections, index, to);
  changed();
  focusAfterRender(`[data-section="${key}"] > .section-head .${delta < 0 ? "move-up" : "move-down"}`, `[data-section="${key}"] .section-name`);
}

function focusAfterRender(selector, fallback) {
  let el = document.querySelector(selector);
  if (!el || el.disabled) el = document.querySelector(fallback);
  if (el) el.focus();
}

function deleteTile(key) {
  const where = locateTile(state.doc, key);
  if (!where) return;
  where.section.tiles.splice(where.index, 1);
  if (state.tileKey === key) { state.tileKey = null; renderTileSettings(); }
  changed();
}

function deleteSection(key) {
  const page = currentPage();
  const section = page.sections.find((s) => s.key === key);
  if (!section) return;
  if (section.tiles.length && !window.confirm(`Delete this section and its ${section.tiles.length} tile(s)?`)) return;
  page.sections = page.sections.filter((s) => s.key !== key);
  if (state.tileKey && !locateTile(state.doc, state.tileKey)) { state.tileKey = null; renderTileSettings(); }
  changed();
}

function selectPage(key) {
  state.pageKey = key;
  state.tileKey = null;
  state.sectionKey = null;
  renderPageTree();
  renderCanvas();
  renderTileSettings();
}

function selectTile(key) {
  const where = locateTile(state.doc, key);
  if (!where) return;
  state.pageKey = where.page.key;
  state.sectionKey = where.section.key;
  state.tileKey = key;
  renderPageTree();
  renderCanvas();
  renderTileSettings();
  revealSettings();
}

function revealSettings() {
  const settings = $("settings");
  if (window.matchMedia("(max-width: 1023px)").matches) settings.scrollIntoView({ behavior: "smooth", block: "start" });
}

function swapPages(page, other) {
  if (!other) return;
  const pages = state.doc.pages;
  const a = pages.indexOf(page);
  const b = pages.indexOf(other);
  [pages[a], pages[b]] = [pages[b], pages[a]];
  changed({ render: false });
  renderPageTree();
}

function reparent(page, parentKey) {
  const pages = state.doc.pages;
  pages.splice(pages.indexOf(page), 1);
  page.parent = parentKey;
  page.slug = uniqueSlug(state.doc, parentKey, page.slug);
  pages.push(page);
  changed({ render: false });
  renderPageTree();
  renderCanvas();
}

function outdent(page) {
  const parent = findPage(state.doc, page.parent);
  if (!parent || !parent.parent) return;
  const pages = state.doc.pages;
  pages.splice(pages.indexOf(page), 1);
  page.parent = parent.parent;
  page.slug = uniqueSlug(state.doc, page.parent, page.slug);
  pages.splice(pages.indexOf(parent) + 1, 0, page);
  changed({ render: false });
  renderPageTree();
  renderCanvas();
}

function deletePage(page) {
  const gone = [page, ...descendants(state.doc, page)];
  const more = gone.length > 1 ? ` and its ${gone.length - 1} sub-page(s)` : "";
  if (!window.confirm(`Delete the page “${page.title}”${more}?`)) return;
  const keys = new Set(gone.map((p) => p.key));
  state.doc.pages = state.doc.pages.filter((p) => !keys.has(p.key));
  if (keys.has(state.pageKey)) state.pageKey = page.parent || "home";
  state.tileKey = null;
  changed({ render: false });
  renderAll();
}

async function addPage(event) {
  event.preventDefault();
  const form = event.target;
  const title = form.title.value.trim();
  const parentKey = form.parent.value || "home";
  const parent = findPage(state.doc, parentKey);
  if (!title || !parent) return;
  if (depthOf(state.doc, parent) >= MAX_DEPTH) {
    state.notice = { kind: "error", text: "Pages nest at most 3 levels deep." };
    renderBanners();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const pageKey = newKey(state.doc, "p");
    const page = await api.post(`stores/${storeId}/page-from-template/`, {
      template: form.template.value, page_key: pageKey, parent: parentKey,
      slug: uniqueSlug(state.doc, parentKey, slugify(title) || "page"), title,
    });
    state.doc.pages.push(page);
    state.pageKey = page.key;
    state.tileKey = null;
    form.title.value = "";
    state.notice = null;
    changed({ render: false });
    renderAll();
  } catch (error) {
    state.notice = { kind: "error", text: `The page was not added: ${error.message}` };
    renderBanners();
  } finally {
    button.disabled = !canEdit;
  }
}

// --- Stock health, preview, share, submit ---------------------------------------------

async function refreshHealth() {
  findings.refresh();
  try {
    state.health = await api.get(`stores/${storeId}/stock-health/`) || {};
  } catch (error) {
    return; // a hint only: the editor works without it
  }
  // Only the hints change: the lists are left alone (a drag may be about to start).
  document.querySelectorAll("#sections .tile[data-tile]").forEach((el) => {
    const where = locateTile(state.doc, el.dataset.tile);
    const old = el.querySelector(".health");
    const hint = where ? healthHint(where.tile) : null;
    if (old && hint) old.replaceWith(hint);
    else if (old) old.remove();
    else if (hint) el.querySelector(".tile-summary").after(hint);
  });
}

async function saveBeforeLeaving() {
  await saveNow();
  if (state.conflict || state.errors.length) {
    state.notice = { kind: "warn", text: "Your latest edits are not saved yet: the preview shows the last saved draft." };
    renderBanners();
  }
}

async function loadPreview() {
  const frame = $("preview-frame");
  try {
    const stock = state.stock;
    const link = await api.post(`stores/${storeId}/previews/`, { page: state.pageKey, stock_mode: stock });
    delete frame.dataset.shows;
    // Says which stock mode the frame shows once it has loaded (tests and tools wait on it).
    frame.addEventListener("load", () => { frame.dataset.shows = stock; }, { once: true });
    frame.src = link.path;
  } catch (error) {
    state.notice = { kind: "error", text: `No preview: ${error.message}` };
    renderBanners();
  }
}

function setPressed(selector, attr, value) {
  document.querySelectorAll(selector).forEach((b) => b.setAttribute("aria-pressed", String(b.dataset[attr] === value)));
}

async function openPreview() {
  await saveBeforeLeaving();
  $("preview").hidden = false;
  document.body.classList.add("has-overlay");
  await loadPreview();
  $("close-preview").focus();
}

function closePreview() {
  $("preview").hidden = true;
  $("preview-frame").src = "about:blank";
  document.body.classList.remove("has-overlay");
  $("open-preview").focus();
}

async function makeShareLink() {
  await saveBeforeLeaving();
  try {
    const link = await api.post(`stores/${storeId}/previews/`, { page: state.pageKey, stock_mode: "live" });
    $("share-url").value = link.url;
    $("share-expires").textContent = new Date(link.expires_at).toLocaleString();
    $("share").hidden = false;
    $("share-url").select();
  } catch (error) {
    state.notice = { kind: "error", text: `No share link: ${error.message}` };
    renderBanners();
  }
}

async function copyShare() {
  const input = $("share-url");
  input.select();
  try { await navigator.clipboard.writeText(input.value); } catch (error) { document.execCommand("copy"); }
  $("copy-share").textContent = "Copied";
}

async function submitStore() {
  await saveNow();
  if (state.conflict || dirty) {
    state.notice = { kind: "error", text: "Save your edits first (see above), then submit." };
    renderBanners();
    return;
  }
  const button = $("submit-store");
  button.disabled = true;
  try {
    state.submission = await api.post(`stores/${storeId}/submissions/`, {});
    state.status = "in_review";
    state.rejection = null;
    state.notice = null;
  } catch (error) {
    state.notice = { kind: "error", text: `Not submitted: ${error.message}` };
    findings.adopt(error.errors);
  } finally {
    button.disabled = !canEdit;
  }
  renderAll({ keepSettings: true });
}

async function loadSubmissions() {
  try {
    const list = rows(await api.get(`stores/${storeId}/submissions/`)).sort((a, b) => b.id - a.id);
    const latest = list[0];
    if (!latest) return;
    if (latest.status === "rejected") state.rejection = { submission: latest, reasons: latest.reasons || [] };
    else state.submission = latest;
  } catch (error) { /* no submissions yet */ }
}

// --- Start ----------------------------------------------------------------------------

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
    delete draft.revision;
    state.doc = draft;
    state.doc.pages = state.doc.pages || [];
    state.tileTypes = rows(tileTypes);
    state.typeByName = new Map(state.tileTypes.map((t) => [t.name, t]));
    state.templates = rows(templates);
    state.status = store.status;
    state.brandSlug = store.brand_slug || null;
    rows(assets).forEach((asset) => state.assets.set(asset.id, asset));
  } catch (error) {
    setSaveStatus(`Could not load the Store: ${error.message}`, "is-error");
    return;
  }
  const select = clear($("add-page-template"));
  state.templates.forEach((t) => select.append(h("option", { value: t.key, title: t.description }, t.label)));
  await loadSubmissions();
  setupPalette();
  renderAll();
  refreshHealth();
  wire();
  if (window.matchMedia("(max-width: 1023px)").matches) {
    // Phones: pages and palette fold away so the page being edited comes first.
    $("pages-panel").open = false;
    $("palette-panel").open = false;
  }
  root.classList.add("is-ready");
}

function wire() {
  $("add-page").addEventListener("submit", addPage);
  $("add-section").addEventListener("click", () => addSection(currentPage().sections.length));
  $("page-title").addEventListener("input", (e) => { currentPage().title = e.target.value; changed({ render: false }); renderPageTree(); });
  $("page-slug").addEventListener("input", (e) => { currentPage().slug = e.target.value; changed({ render: false }); });
  $("save-now").addEventListener("click", () => { if (dirty) savedSeq = -1; saveNow(); });
  $("open-preview").addEventListener("click", openPreview);
  $("close-preview").addEventListener("click", closePreview);
  $("share-link").addEventListener("click", makeShareLink);
  $("copy-share").addEventListener("click", copyShare);
  $("close-share").addEventListener("click", () => { $("share").hidden = true; });
  $("submit-store").addEventListener("click", submitStore);
  document.querySelectorAll("[data-device]").forEach((b) => b.addEventListener("click", () => {
    state.device = b.dataset.device;
    setPressed("[data-device]", "device", state.device);
    const stage = document.querySelector(".preview-stage");
    stage.classList.toggle("preview-phone", state.device === "phone");
    stage.classList.toggle("preview-desktop", state.device !== "phone");
  }));
  document.querySelectorAll("[data-stock]").forEach((b) => b.addEventListener("click", () => {
    state.stock = b.dataset.stock;
    setPressed("[data-stock]", "stock", state.stock);
    loadPreview();
  }));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && !$("preview").hidden) closePreview();
  });
  window.addEventListener("beforeunload", (e) => {
    if (dirty) { e.preventDefault(); e.returnValue = ""; }
  });
  if (!canEdit) {
    root.querySelectorAll("#add-page button, #add-section, #save-now, #submit-store, #share-link").forEach((el) => { el.disabled = true; });
  }
}

start();
