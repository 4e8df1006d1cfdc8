// The live canvas: the page itself, as the server renders it for shoppers (same compile
// and assemble path), in a same-origin frame sized like the chosen device. After each save
// the new HTML is swapped in tile by tile (unchanged tiles keep their elements, so nothing
// flashes); between saves the frame's structure follows the document at once (new tiles
// show as placeholders, moves and deletions apply immediately). Click selects, SortableJS
// (inside the frame) reorders, and tiles dragged from the palette drop where the pointer is.
import {
  addSection, addTile, clearSelection, moveSectionTo, moveTileTo, redo, selectPage,
  selectSection, selectTile, undo,
} from "./edits.js";
import {
  $, canEdit, currentPage, gettext, interpolate, problemsFor, sectionLabel, state, storeId,
  tileLabel,
} from "./state.js";

export const DEVICES = { phone: 390, tablet: 768, desktop: 1280 };

let frame = null;
let frameDoc = null;
let scale = 1;
let refreshSeq = 0;
let dragging = false;
let pendingHtml = null;
let sortables = [];
let renders = 0;
// What the server sent for each tile and section, before the editor decorated it.
const served = new WeakMap();

export function setupCanvas() {
  frame = $("canvas-frame");
  frame.addEventListener("load", onFirstLoad, { once: true });
  frame.src = canvasUrl();
  new ResizeObserver(() => fit()).observe($("canvas-area"));
  window.addEventListener("resize", () => fit());
  fit();
}

function canvasUrl() {
  const query = new URLSearchParams({ page: state.pageKey, stock: state.stock });
  return `/builder/stores/${storeId}/canvas/?${query}`;
}

export function fit() {
  const area = $("canvas-area");
  const stage = $("canvas-stage");
  const width = DEVICES[state.device] || DEVICES.desktop;
  const room = Math.max(200, area.clientWidth);
  scale = Math.min(1, room / width);
  const top = area.getBoundingClientRect().top + window.scrollY;
  const height = Math.max(420, window.innerHeight - Math.min(top, 160) - 16);
  frame.style.width = `${width}px`;
  frame.style.height = `${Math.round(height / scale)}px`;
  frame.style.transform = scale < 1 ? `scale(${scale})` : "";
  stage.style.width = `${Math.round(width * scale)}px`;
  stage.style.height = `${height}px`;
  stage.dataset.device = state.device;
}

function onFirstLoad() {
  frameDoc = frame.contentDocument;
  if (!frameDoc || !frameDoc.body) return;
  remember(frameDoc);
  stripScripts(frameDoc.body);
  frameDoc.addEventListener("click", onFrameClick, true);
  frameDoc.addEventListener("submit", (event) => event.preventDefault(), true);
  frameDoc.addEventListener("keydown", onFrameKey);
  frameDoc.documentElement.classList.add("sf-canvas");
  afterRender();
}

function remember(doc) {
  doc.querySelectorAll("[data-tile], [data-section]").forEach((el) => served.set(el, el.outerHTML));
}

function stripScripts(body) {
  // Tile scripts (the video player) are for shoppers; the canvas stays still.
  body.querySelectorAll("script").forEach((script) => script.remove());
}

// Fetches the saved draft's page and swaps it in. Called after each save and on a change
// of page, device or stock scenario.
export async function refreshCanvas() {
  if (!frameDoc) return;
  const seq = ++refreshSeq;
  let html = null;
  try {
    const response = await fetch(canvasUrl(), { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (response.ok) html = await response.text();
  } catch (error) {
    html = null; // offline: the structure below still follows the document
  }
  if (seq !== refreshSeq) return;
  if (html === null) { syncCanvas(); return; }
  if (dragging) { pendingHtml = html; return; }
  swapIn(html);
}

function swapIn(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  stripScripts(doc.body);
  syncStylesheets(doc);
  const scrollY = frame.contentWindow.scrollY;
  const oldSections = frameDoc.querySelector(".store-sections");
  const newSections = doc.querySelector(".store-sections");
  if (!oldSections || !newSections) {
    frameDoc.body.replaceChildren(...Array.from(doc.body.childNodes, (n) => frameDoc.importNode(n, true)));
  } else {
    // Around the sections (header, navigation, title, footer): replaced when changed.
    for (const selector of [".store-header", ".store-title", ".store-footer"]) {
      const now = frameDoc.querySelector(selector);
      const next = doc.querySelector(selector);
      if (now && next && now.outerHTML !== next.outerHTML) now.replaceWith(frameDoc.importNode(next, true));
    }
    const keep = new Map();
    oldSections.querySelectorAll("[data-tile]").forEach((el) => keep.set(el.dataset.tile, el));
    const sections = Array.from(newSections.children).map((incoming) => {
      const section = frameDoc.importNode(incoming, true);
      served.set(section, incoming.outerHTML);
      section.querySelectorAll("[data-tile]").forEach((tile) => {
        const html = incoming.querySelector(`[data-tile="${CSS.escape(tile.dataset.tile)}"]`).outerHTML;
        const old = keep.get(tile.dataset.tile);
        if (old && served.get(old) === html) tile.replaceWith(old);
        else served.set(tile, html);
      });
      return section;
    });
    oldSections.replaceChildren(...sections);
  }
  frameDoc.body.className = doc.body.className;
  afterRender();
  frame.contentWindow.scrollTo(0, scrollY);
}

function syncStylesheets(doc) {
  const want = Array.from(doc.head.querySelectorAll("link[rel=stylesheet]"), (l) => l.getAttribute("href"));
  const have = Array.from(frameDoc.head.querySelectorAll("link[rel=stylesheet]"));
  if (want.join("\n") === have.map((l) => l.getAttribute("href")).join("\n")) return;
  // The new sheets first, the old ones once those have loaded: no unstyled moment.
  let waiting = 0;
  const done = () => { waiting -= 1; if (waiting <= 0) have.forEach((l) => l.remove()); };
  for (const href of want) {
    const link = frameDoc.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    waiting += 1;
    link.addEventListener("load", done, { once: true });
    link.addEventListener("error", done, { once: true });
    frameDoc.head.append(link);
  }
}

function afterRender() {
  syncCanvas();
  renders += 1;
  frame.dataset.renders = String(renders);
  frame.dataset.page = state.pageKey;
}

// --- the frame follows the document -----------------------------------------------------

function el(tag, cls, text) {
  const node = frameDoc.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}

function missingText(tileKey) {
  const { errors, incomplete } = problemsFor((e) => e.tile === tileKey);
  return [...errors, ...incomplete].map((e) => e.message);
}

function placeholderTile(tile) {
  const box = el("div", "tile sf-placeholder");
  box.dataset.tile = tile.key;
  box.append(el("p", "sf-placeholder__label", tileLabel(tile)));
  const missing = missingText(tile.key);
  box.append(el("p", "sf-placeholder__note", missing.length
    ? gettext("Not finished yet: shoppers will not see it until it is.")
    : gettext("Shoppers don't see this tile right now (nothing to show yet).")));
  return box;
}

function placeholderSection(section) {
  const box = el("div", `section section--${section.layout || "full"} sf-placeholder-section`);
  box.dataset.section = section.key;
  box.append(el("div", "section__grid"));
  return box;
}

export function syncCanvas() {
  if (!frameDoc || dragging) return;
  const container = frameDoc.querySelector(".store-sections");
  if (!container) return;
  const page = currentPage();
  const sectionEls = new Map();
  container.querySelectorAll(":scope > [data-section]").forEach((node) => sectionEls.set(node.dataset.section, node));
  const tileEls = new Map();
  container.querySelectorAll("[data-tile]").forEach((node) => tileEls.set(node.dataset.tile, node));
  const ordered = page.sections.map((section) => {
    let sectionEl = sectionEls.get(section.key);
    if (!sectionEl) sectionEl = placeholderSection(section);
    sectionEl.className = sectionEl.className.replace(/\bsection--[a-z]+/, `section--${section.layout || "full"}`);
    let grid = sectionEl.querySelector(":scope > .section__grid");
    if (!grid) { grid = el("div", "section__grid"); sectionEl.append(grid); }
    grid.replaceChildren(...section.tiles.map((tile) => {
      const existing = tileEls.get(tile.key);
      if (existing && !existing.classList.contains("sf-placeholder")) return existing;
      return placeholderTile(tile);
    }));
    return sectionEl;
  });
  container.replaceChildren(...ordered);
  decorate(container, page);
  setupSortables(container);
}

function decorate(container, page) {
  frameDoc.querySelectorAll(".sf-deco").forEach((node) => node.remove());
  frameDoc.querySelectorAll(".sf-selected, .sf-incomplete, .sf-error").forEach((node) => {
    node.classList.remove("sf-selected", "sf-incomplete", "sf-error");
  });
  page.sections.forEach((section, index) => {
    const sectionEl = container.children[index];
    const bar = el("div", "sf-deco sf-section-bar");
    bar.append(el("span", "sf-handle sf-handle-section", "⠿"), el("span", "", sectionLabel(page, section)));
    sectionEl.prepend(bar);
    if (section.key === state.sectionKey && !state.tileKey) sectionEl.classList.add("sf-selected");
    const grid = sectionEl.querySelector(":scope > .section__grid");
    if (!section.tiles.length) grid.append(el("div", "sf-deco sf-dropzone", gettext("Drop a tile here")));
    section.tiles.forEach((tile, i) => {
      const tileEl = grid.children[i];
      if (!tileEl) return;
      const { errors, incomplete, findings } = problemsFor((e) => e.tile === tile.key);
      const blocking = findings.filter((f) => f.severity === "blocking");
      if (errors.length || blocking.length) tileEl.classList.add("sf-error");
      else if (incomplete.length || findings.length) tileEl.classList.add("sf-incomplete");
      if (tile.key === state.tileKey) {
        tileEl.classList.add("sf-selected");
        tileEl.prepend(el("span", "sf-deco sf-label", tileLabel(tile)));
      }
      if (errors.length || incomplete.length || findings.length) {
        const list = el("ul", "sf-deco sf-missing");
        for (const e of [...errors, ...incomplete]) list.append(el("li", "", e.message));
        for (const f of findings) {
          list.append(el("li", "", interpolate(f.severity === "blocking"
            ? gettext("Automated check (must be fixed): %(what)s") : gettext("Automated check (warning): %(what)s"),
          { what: f.message }, true)));
        }
        tileEl.append(list);
      }
    });
  });
  if (!page.sections.length) {
    container.append(el("p", "sf-deco sf-empty-page",
      gettext("This page is empty: drag a Section from the palette here, or press “Add a section”.")));
  }
}

export function scrollToSelection() {
  if (!frameDoc) return;
  const key = state.tileKey || state.sectionKey;
  if (!key) return;
  const target = frameDoc.querySelector(state.tileKey ? `[data-tile="${CSS.escape(key)}"]` : `[data-section="${CSS.escape(key)}"]`);
  if (target) target.scrollIntoView({ block: "nearest" });
}

// --- selecting and navigating -----------------------------------------------------------

function onFrameClick(event) {
  const link = event.target.closest("a");
  if (link) event.preventDefault();
  const tileEl = event.target.closest("[data-tile]");
  if (tileEl) { selectTile(tileEl.dataset.tile); return; }
  const sectionEl = event.target.closest("[data-section]");
  if (sectionEl) { selectSection(sectionEl.dataset.section); return; }
  const href = link ? link.getAttribute("href") || "" : "";
  if (href.startsWith("#page=")) { selectPage(href.slice(6)); return; }
  clearSelection();
}

function onFrameKey(event) {
  const mod = event.ctrlKey || event.metaKey;
  if (mod && event.key.toLowerCase() === "z") {
    event.preventDefault();
    if (event.shiftKey) redo(); else undo();
  }
}

// --- dragging inside the frame (SortableJS) -----------------------------------------------

function indexAmong(list, item, selector) {
  return Array.from(list.children)
    .filter((node) => node === item || (node.matches(selector) && !node.classList.contains("sortable-fallback")))
    .indexOf(item);
}

function setupSortables(container) {
  sortables.forEach((s) => s.destroy());
  sortables = [];
  const Sortable = frame.contentWindow && frame.contentWindow.Sortable;
  if (!canEdit || !Sortable) return;
  const common = { animation: 120, forceFallback: true, fallbackTolerance: 4,
    ghostClass: "sf-ghost", chosenClass: "sf-chosen", dragClass: "sf-dragging",
    onStart: () => { dragging = true; } };
  const finish = (handler) => (evt) => {
    dragging = false;
    handler(evt);
    if (pendingHtml) { const html = pendingHtml; pendingHtml = null; swapIn(html); } else syncCanvas();
  };
  sortables.push(Sortable.create(container, {
    ...common, group: "sections", draggable: "[data-section]", handle: ".sf-handle-section",
    onEnd: finish((evt) => {
      const to = indexAmong(container, evt.item, "[data-section]");
      if (to >= 0) moveSectionTo(evt.item.dataset.section, to);
    }),
  }));
  container.querySelectorAll(":scope > [data-section] > .section__grid").forEach((grid) => {
    sortables.push(Sortable.create(grid, {
      ...common, group: "tiles", draggable: "[data-tile]", filter: ".sf-dropzone",
      preventOnFilter: false, emptyInsertThreshold: 30,
      onEnd: finish((evt) => {
        const to = indexAmong(evt.to, evt.item, "[data-tile]");
        const sectionEl = evt.to.closest("[data-section]");
        if (to >= 0 && sectionEl) moveTileTo(evt.item.dataset.tile, sectionEl.dataset.section, to);
      }),
    }));
  });
}

// --- dropping from the palette (it lives outside the frame) -------------------------------

let marker = null;

function clearMarker() {
  if (!frameDoc) return;
  frameDoc.querySelectorAll(".sf-drop-before, .sf-drop-after, .sf-drop-into").forEach((node) => {
    node.classList.remove("sf-drop-before", "sf-drop-after", "sf-drop-into");
  });
  marker = null;
}

function framePoint(clientX, clientY) {
  const rect = frame.getBoundingClientRect();
  if (clientX < rect.left || clientX > rect.right || clientY < rect.top || clientY > rect.bottom) return null;
  return { x: (clientX - rect.left) / scale, y: (clientY - rect.top) / scale, height: rect.height / scale };
}

function targetAt(point, kind) {
  const container = frameDoc.querySelector(".store-sections");
  if (!container) return null;
  const sections = Array.from(container.querySelectorAll(":scope > [data-section]"));
  if (kind === "section") {
    let index = sections.findIndex((s) => point.y < s.getBoundingClientRect().top + s.getBoundingClientRect().height / 2);
    if (index < 0) index = sections.length;
    const show = sections[index] ? [sections[index], "sf-drop-before"] : [sections[sections.length - 1] || container, sections.length ? "sf-drop-after" : "sf-drop-into"];
    return { index, show };
  }
  const hit = frameDoc.elementFromPoint(point.x, point.y);
  let sectionEl = hit && hit.closest("[data-section]");
  if (!sectionEl) {
    // Between sections: the nearest one above the pointer.
    sectionEl = sections.filter((s) => s.getBoundingClientRect().top <= point.y).pop() || sections[0];
  }
  if (!sectionEl) return null;
  const tiles = Array.from(sectionEl.querySelectorAll(":scope > .section__grid > [data-tile]"));
  let index = tiles.findIndex((t) => {
    const r = t.getBoundingClientRect();
    return point.y < r.top || (point.y < r.bottom && point.x < r.left + r.width / 2);
  });
  if (index < 0) index = tiles.length;
  const show = tiles[index] ? [tiles[index], "sf-drop-before"]
    : tiles.length ? [tiles[tiles.length - 1], "sf-drop-after"] : [sectionEl, "sf-drop-into"];
  return { section: sectionEl.dataset.section, index, show };
}

// A palette item is dragged with the pointer (captured, so moves over the frame still come
// here); on release over the canvas the tile or section is added where the marker shows.
export function paletteDrag(event, item) {
  if (!canEdit || event.button !== 0 || !frameDoc) return;
  const startX = event.clientX;
  const startY = event.clientY;
  let ghost = null;
  let target = null;
  item.setPointerCapture(event.pointerId);
  const move = (e) => {
    if (!ghost && Math.hypot(e.clientX - startX, e.clientY - startY) < 5) return;
    if (!ghost) {
      ghost = document.createElement("div");
      ghost.className = "palette-ghost";
      ghost.textContent = item.querySelector(".palette-label").textContent;
      document.body.append(ghost);
    }
    ghost.style.transform = `translate(${e.clientX + 8}px, ${e.clientY + 8}px)`;
    clearMarker();
    const point = framePoint(e.clientX, e.clientY);
    target = point ? targetAt(point, item.dataset.kind === "section" ? "section" : "tile") : null;
    if (target) {
      target.show[0].classList.add(target.show[1]);
      marker = target;
      if (point.y < 40) frame.contentWindow.scrollBy(0, -24);
      else if (point.y > point.height - 40) frame.contentWindow.scrollBy(0, 24);
    }
  };
  const up = () => {
    item.removeEventListener("pointermove", move);
    item.removeEventListener("pointerup", up);
    item.removeEventListener("pointercancel", up);
    if (ghost) ghost.remove();
    const chosen = marker;
    clearMarker();
    if (!ghost || !chosen) return;
    if (item.dataset.kind === "section") addSection(chosen.index);
    else addTile(chosen.section, chosen.index, item.dataset.type);
  };
  item.addEventListener("pointermove", move);
  item.addEventListener("pointerup", up);
  item.addEventListener("pointercancel", up);
}

export function setDevice(device) {
  state.device = device;
  fit();
}

export function frameLabel() {
  return interpolate(gettext("Canvas: %(page)s"), { page: currentPage().title }, true);
}
