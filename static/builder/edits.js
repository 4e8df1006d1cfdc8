// Every change to the document goes through here: the change itself, then `commit`, which
// makes it an undo step, saves it and tells the views (canvas, layers, pages, panel).
import {
  allKeys, clone, descendants, findPage, locateSection, locateTile, move, uniqueSlug,
} from "./document.js";
import * as history from "./history.js";
import { markChanged } from "./save.js";
import {
  currentPage, emit, gettext, interpolate, sectionLabel, state, tileLabel,
} from "./state.js";

export function commit({ coalesce = null, announce = null, undoToast = null, fromPanel = false } = {}) {
  if (!history.record(state.doc, { pageKey: state.pageKey, coalesce })) return;
  markChanged();
  emit("changed", { announce, undoToast, fromPanel });
}

function freshKey(prefix, taken) {
  for (;;) {
    const key = prefix + Math.random().toString(36).slice(2, 8);
    if (!taken.has(key)) { taken.add(key); return key; }
  }
}

function homeKey() {
  const home = state.doc.pages.find((page) => !page.parent);
  return home ? home.key : state.doc.pages[0].key;
}

// --- undo / redo -------------------------------------------------------------------------

function applyStep(step, message) {
  state.doc = step.doc;
  if (findPage(state.doc, step.pageKey)) state.pageKey = step.pageKey;
  else if (!findPage(state.doc, state.pageKey)) state.pageKey = homeKey();
  if (state.tileKey && !locateTile(state.doc, state.tileKey)) state.tileKey = null;
  if (state.sectionKey && !locateSection(state.doc, state.sectionKey)) state.sectionKey = null;
  markChanged();
  emit("replaced", { announce: message });
}

export function undo() {
  const step = history.undo();
  if (step) applyStep(step, gettext("Undone"));
}

export function redo() {
  const step = history.redo();
  if (step) applyStep(step, gettext("Redone"));
}

// --- tiles -----------------------------------------------------------------------------

function where(tileKey) {
  const found = locateTile(state.doc, tileKey);
  if (!found) return null;
  return { ...found, sectionIndex: found.page.sections.indexOf(found.section) };
}

function positionText(tile, page, section, index) {
  return interpolate(gettext("%(tile)s, position %(position)s of %(section)s"), {
    tile: tileLabel(tile), position: index + 1, section: sectionLabel(page, section),
  }, true);
}

export function addTile(sectionKey, index, typeName) {
  const found = locateSection(state.doc, sectionKey);
  if (!found) return null;
  const type = state.typeByName.get(typeName);
  const tile = { key: freshKey("t", allKeys(state.doc)), type: typeName, visibility: "all",
    config: clone(type && type.default_config ? type.default_config : {}) };
  const tiles = found.section.tiles;
  const at = index < 0 || index > tiles.length ? tiles.length : index;
  tiles.splice(at, 0, tile);
  state.pageKey = found.page.key;
  state.sectionKey = sectionKey;
  state.tileKey = tile.key;
  commit({ announce: interpolate(gettext("Added: %(where)s"), {
    where: positionText(tile, found.page, found.section, at) }, true) });
  return tile;
}

export function addTileToPage(typeName) {
  // Into the chosen section, else the last one (a first section is made when there is none).
  const page = currentPage();
  let section = page.sections.find((s) => s.key === state.sectionKey);
  if (!section) section = page.sections[page.sections.length - 1] || addSection(page.sections.length, { quiet: true });
  return addTile(section.key, section.tiles.length, typeName);
}

export function moveTileTo(tileKey, sectionKey, index) {
  const from = where(tileKey);
  const target = locateSection(state.doc, sectionKey);
  if (!from || !target) return;
  if (from.section === target.section && from.index === index) return;
  const [tile] = from.section.tiles.splice(from.index, 1);
  const at = Math.max(0, Math.min(index, target.section.tiles.length));
  target.section.tiles.splice(at, 0, tile);
  state.tileKey = tileKey;
  state.sectionKey = sectionKey;
  commit({ announce: interpolate(gettext("Moved: %(where)s"), {
    where: positionText(tile, target.page, target.section, at) }, true) });
}

// One step up or down; past the end of its section the tile moves on into the next one.
export function moveTile(tileKey, delta) {
  const from = where(tileKey);
  if (!from) return;
  const to = from.index + delta;
  if (to >= 0 && to < from.section.tiles.length) {
    moveTileTo(tileKey, from.section.key, to);
    return;
  }
  const next = from.page.sections[from.sectionIndex + delta];
  if (!next) return;
  moveTileTo(tileKey, next.key, delta < 0 ? next.tiles.length : 0);
}

export function deleteTile(tileKey) {
  const from = where(tileKey);
  if (!from) return;
  const [tile] = from.section.tiles.splice(from.index, 1);
  if (state.tileKey === tileKey) state.tileKey = null;
  commit({ undoToast: interpolate(gettext("Deleted %(what)s"), { what: tileLabel(tile) }, true) });
}

export function duplicateTile(tileKey) {
  const from = where(tileKey);
  if (!from) return;
  const copy = { ...clone(from.tile), key: freshKey("t", allKeys(state.doc)) };
  from.section.tiles.splice(from.index + 1, 0, copy);
  state.tileKey = copy.key;
  state.sectionKey = from.section.key;
  commit({ announce: interpolate(gettext("Duplicated: %(where)s"), {
    where: positionText(copy, from.page, from.section, from.index + 1) }, true) });
}

// --- sections --------------------------------------------------------------------------

export function addSection(index, { quiet = false } = {}) {
  const page = currentPage();
  const section = { key: freshKey("s", allKeys(state.doc)), layout: "full", tiles: [] };
  const at = Math.max(0, Math.min(index, page.sections.length));
  page.sections.splice(at, 0, section);
  state.sectionKey = section.key;
  state.tileKey = null;
  if (!quiet) {
    commit({ announce: interpolate(gettext("Added: %(section)s"), {
      section: sectionLabel(page, section) }, true) });
  }
  return section;
}

export function moveSectionTo(sectionKey, index) {
  const page = currentPage();
  const from = page.sections.findIndex((s) => s.key === sectionKey);
  if (from < 0 || index < 0 || index >= page.sections.length || from === index) return;
  move(page.sections, from, index);
  state.sectionKey = sectionKey;
  state.tileKey = null;
  commit({ announce: interpolate(gettext("Section moved to position %(position)s of %(count)s"), {
    position: index + 1, count: page.sections.length }, true) });
}

export function moveSection(sectionKey, delta) {
  const page = currentPage();
  const from = page.sections.findIndex((s) => s.key === sectionKey);
  moveSectionTo(sectionKey, from + delta);
}

export function setSectionLayout(sectionKey, layout) {
  const found = locateSection(state.doc, sectionKey);
  if (!found) return;
  found.section.layout = layout;
  commit();
}

export function deleteSection(sectionKey) {
  const found = locateSection(state.doc, sectionKey);
  if (!found) return;
  const label = sectionLabel(found.page, found.section);
  found.page.sections.splice(found.index, 1);
  if (state.sectionKey === sectionKey) state.sectionKey = null;
  if (state.tileKey && !locateTile(state.doc, state.tileKey)) state.tileKey = null;
  commit({ undoToast: interpolate(gettext("Deleted %(what)s"), { what: label }, true) });
}

function copySection(section, taken) {
  return {
    ...clone(section),
    key: freshKey("s", taken),
    tiles: (section.tiles || []).map((tile) => ({ ...clone(tile), key: freshKey("t", taken) })),
  };
}

export function duplicateSection(sectionKey) {
  const found = locateSection(state.doc, sectionKey);
  if (!found) return;
  const copy = copySection(found.section, allKeys(state.doc));
  found.page.sections.splice(found.index + 1, 0, copy);
  state.sectionKey = copy.key;
  state.tileKey = null;
  commit({ announce: interpolate(gettext("Duplicated: %(section)s"), {
    section: sectionLabel(found.page, copy) }, true) });
}

// --- pages -----------------------------------------------------------------------------

export function setPageField(name, value) {
  const page = currentPage();
  page[name] = value;
  commit({ coalesce: `page:${page.key}:${name}` });
}

export function duplicatePage(pageKey) {
  const page = findPage(state.doc, pageKey);
  if (!page || !page.parent) return;
  const taken = allKeys(state.doc);
  const copy = {
    ...clone(page),
    key: freshKey("p", taken),
    title: interpolate(gettext("%(title)s (copy)"), { title: page.title }, true).slice(0, 60),
    slug: uniqueSlug(state.doc, page.parent, `${page.slug}-copy`.slice(0, 55)),
    sections: (page.sections || []).map((section) => copySection(section, taken)),
  };
  state.doc.pages.splice(state.doc.pages.indexOf(page) + 1, 0, copy);
  state.pageKey = copy.key;
  state.tileKey = null;
  state.sectionKey = null;
  commit({ announce: interpolate(gettext("Duplicated page: %(title)s"), { title: copy.title }, true) });
}

export function deletePage(pageKey) {
  const page = findPage(state.doc, pageKey);
  if (!page || !page.parent) return;
  const gone = new Set([page, ...descendants(state.doc, page)].map((p) => p.key));
  state.doc.pages = state.doc.pages.filter((p) => !gone.has(p.key));
  if (gone.has(state.pageKey)) state.pageKey = page.parent;
  state.tileKey = null;
  state.sectionKey = null;
  commit({ undoToast: interpolate(gettext("Deleted page %(title)s"), { title: page.title }, true) });
}

export function selectPage(key) {
  if (!findPage(state.doc, key)) return;
  state.pageKey = key;
  state.tileKey = null;
  state.sectionKey = null;
  emit("selected", { page: true });
}

export function selectTile(key, { reveal = true } = {}) {
  const found = locateTile(state.doc, key);
  if (!found) return;
  const pageChanged = state.pageKey !== found.page.key;
  state.pageKey = found.page.key;
  state.sectionKey = found.section.key;
  state.tileKey = key;
  emit("selected", { page: pageChanged, reveal });
}

export function selectSection(key, { reveal = true } = {}) {
  const found = locateSection(state.doc, key);
  if (!found) return;
  const pageChanged = state.pageKey !== found.page.key;
  state.pageKey = found.page.key;
  state.sectionKey = key;
  state.tileKey = null;
  emit("selected", { page: pageChanged, reveal });
}

export function clearSelection() {
  state.tileKey = null;
  state.sectionKey = null;
  emit("selected", {});
}
