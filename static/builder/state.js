// The editor's shared state: the document being edited, what is selected, what the server
// said about it, and a small event bus the other modules hang their redraws on.
import { createApi } from "./api.js";
import { findPage } from "./document.js";

export const gettext = window.gettext || ((text) => text);
export const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
export const interpolate = window.interpolate || ((format, values, named) => (named
  ? format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]))
  : format.replace(/%s/g, () => String(values.shift()))));

export const root = document.getElementById("editor");
export const storeId = root.dataset.storeId;
export const canEdit = root.dataset.canEdit === "true";
export const api = createApi({ root: root.dataset.apiRoot, csrfToken: root.dataset.csrfToken });
export const $ = (id) => document.getElementById(id);

export const state = {
  doc: null,
  revision: 0,
  pageKey: "home",
  // What is selected: a tile, else a section, else the page itself.
  tileKey: null,
  sectionKey: null,
  tileTypes: [],
  typeByName: new Map(),
  templates: [],
  assets: new Map(),
  // From the server: wrong values (400, not saved) and missing values (saved, incomplete).
  errors: [],
  incomplete: [],
  findings: [],
  health: {},
  conflict: null,
  notice: null,
  submission: null,
  rejection: null,
  versions: [],
  status: root.dataset.status || "draft",
  brandSlug: null,
  device: "desktop",
  stock: "live",
};

export function currentPage() {
  return findPage(state.doc, state.pageKey) || state.doc.pages[0];
}

const listeners = new Map();

export function on(event, handler) {
  if (!listeners.has(event)) listeners.set(event, []);
  listeners.get(event).push(handler);
}

export function emit(event, detail) {
  for (const handler of listeners.get(event) || []) handler(detail);
}

export function typeLabel(typeName) {
  const type = state.typeByName.get(typeName);
  return type ? type.label : typeName;
}

// What a person calls a tile: its type, and its own title when it has one.
export function tileLabel(tile) {
  const label = typeLabel(tile.type);
  const config = tile.config || {};
  const title = typeof config.title === "string" ? config.title.trim() : "";
  return title && title !== label ? `${label} “${title}”` : label;
}

export function sectionLabel(page, section) {
  const index = page.sections.indexOf(section) + 1;
  return interpolate(gettext("Section %(number)s"), { number: index }, true);
}

// Problems the server reported for one place; `match` picks the entries. Findings are
// the automated checks' (blocking or warning), never a person's.
export function problemsFor(match) {
  return {
    errors: state.errors.filter(match),
    incomplete: state.incomplete.filter(match),
    findings: state.findings.filter(match),
  };
}
