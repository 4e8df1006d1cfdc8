// "Store design": the Store's theme (logo, banner, colours, fonts) in the settings panel.
// The form is drawn by settings.js from the server's field schema (the same widgets as the
// tiles: the image library, the colour input); the contrast warnings, the derived colours
// and the font stacks come from GET /api/v1/store-theme/ (stores/theme.py), so the
// builder never does the WCAG maths itself. Edits go through commit(): autosaved,
// undoable, and the canvas shows them after the save.
import { clear, debounce, h } from "./dom.js";
import { commit } from "./edits.js";
import { renderSettings } from "./settings.js";
import { $, api, canEdit, gettext, interpolate, on, state, storeId } from "./state.js";

const DEFAULTS = { accent_color: "#0a7d5a", background_color: "#ffffff", font_pairing: "system" };
let schema = null; // { fields, font_pairings, look, contrast } of the last answer
let hooks = { renderPanel: () => {}, openSheet: () => {} };
let asked = "";
const contrastBox = h("div", { class: "theme-contrast", id: "theme-contrast", role: "status", "aria-live": "polite" });
const preview = h("div", { class: "theme-preview", id: "theme-preview" });

state.themeOpen = false;

function theme() {
  if (!state.doc.theme || typeof state.doc.theme !== "object") state.doc.theme = { accent_color: DEFAULTS.accent_color };
  return state.doc.theme;
}

function current(name) {
  const value = theme()[name];
  return value || DEFAULTS[name];
}

// What the server says about the current colours; asked again only when they changed.
async function ask() {
  const params = new URLSearchParams({
    accent_color: current("accent_color"), background_color: current("background_color"),
    font_pairing: current("font_pairing"),
  });
  const key = params.toString();
  if (schema && key === asked) return;
  asked = key;
  try {
    const answer = await api.get(`store-theme/?${params}`);
    if (key !== asked) return; // a newer question is on its way
    schema = answer;
  } catch (error) {
    clear(contrastBox).append(h("p", { class: "field-error" }, error.message));
    return;
  }
  drawContrast();
  drawPreview();
}

const askSoon = debounce(ask, 200);

function drawContrast() {
  clear(contrastBox);
  if (!schema) return;
  const failing = schema.contrast.filter((check) => !check.passes);
  contrastBox.classList.toggle("has-warning", failing.length > 0);
  contrastBox.append(h("h3", {}, gettext("Contrast (WCAG AA: at least 4.5 to 1)")));
  contrastBox.append(h("ul", { class: "contrast-list" }, schema.contrast.map((check) => h("li", {
    class: `contrast-check ${check.passes ? "is-ok" : "is-low"}`, dataset: { check: check.code } },
  h("span", { class: "contrast-mark", "aria-hidden": "true" }, check.passes ? "✓" : "!"),
  h("span", { class: "contrast-label" }, check.label),
  h("span", { class: "contrast-ratio" }, interpolate(gettext("%(ratio)s to 1"), {
    ratio: check.ratio.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 1 }) }, true)),
  check.passes ? null : h("span", { class: "contrast-warning" },
    h("strong", {}, gettext("Too little contrast.")), " ", check.message)))));
  if (failing.length) {
    contrastBox.append(h("p", { class: "hint" }, gettext(
      "Shoppers' pages stay readable: where a colour is too light or too dark for text, they show a shade of it that reads.")));
  }
}

function drawPreview() {
  clear(preview);
  if (!schema) return;
  for (const [name, value] of Object.entries(schema.look)) preview.style.setProperty(name, value);
  const fonts = schema.font_pairings.find((p) => p.value === current("font_pairing")) || schema.font_pairings[0];
  preview.append(
    h("p", { class: "theme-preview-label" }, gettext("Preview")),
    h("p", { class: "theme-preview-heading" }, fonts ? fonts.label : ""),
    h("p", { class: "theme-preview-text" }, gettext("Shoppers read your pages in these fonts and colours."),
      " ", h("span", { class: "theme-preview-link" }, gettext("A link"))),
    h("span", { class: "theme-preview-button" }, gettext("A button")));
}

export function showsTheme() {
  return Boolean(state.themeOpen && !state.tileKey && !state.sectionKey);
}

// The panel's content (panels.js calls this instead of the page's settings).
export function themePanel(body) {
  // Shown with the defaults of what is not set (the document keeps only what was chosen).
  const defaults = Object.fromEntries((schema ? schema.fields : [])
    .filter((f) => f.default !== null).map((f) => [f.name, f.default]));
  const config = { ...defaults, ...theme() };
  const form = h("div", { class: "tile-settings theme-settings" });
  body.append(form);
  if (!schema) {
    form.append(h("p", { class: "muted" }, gettext("Loading…")));
    ask().then(() => hooks.renderPanel());
    return;
  }
  const mine = (entry) => String(entry.path || "").startsWith("theme");
  renderSettings(form, {
    tile: { key: "theme", type: "theme", config },
    tileType: { label: gettext("Store design"), fields: schema.fields, tile_fields: [],
      description: gettext("Your brand on every page of the Store: logo, banner, colours and fonts.") },
    errors: state.errors.filter(mine),
    incomplete: state.incomplete.filter(mine),
    readOnly: !canEdit,
    api, storeId, brandSlug: state.brandSlug, assets: state.assets, doc: state.doc, pages: state.doc.pages,
    refresh: () => hooks.renderPanel(),
    freshConfig: () => theme(),
    changed: () => {
      commit({ coalesce: "theme", fromPanel: true });
      askSoon();
    },
    close: () => { state.themeOpen = false; hooks.renderPanel({ keepFocus: false }); hooks.openSheet(false); },
    ensureProducts: async () => false,
  });
  // Not a tile: no "Tile theme" line under the heading.
  const key = form.querySelector(".settings-head .muted");
  if (key) key.remove();
  const heading = form.querySelector(".settings-head h2");
  if (heading) heading.id = "theme-heading";
  const colours = form.querySelector('.field[data-field="background_color"]');
  if (colours) colours.after(contrastBox);
  const fonts = form.querySelector('.field[data-field="font_pairing"]');
  if (fonts) fonts.after(preview);
  drawContrast();
  drawPreview();
  ask();
}

export function setupTheme({ renderPanel, openSheet }) {
  hooks = { renderPanel, openSheet };
  const button = $("store-design");
  if (!button) return;
  button.addEventListener("click", async () => {
    state.tileKey = null;
    state.sectionKey = null;
    state.themeOpen = true;
    await ask();
    renderPanel({ keepFocus: false });
    openSheet(true);
    const heading = $("theme-heading");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  });
  // The page's settings replace the theme's; so does choosing a tile or a section.
  $("page-settings").addEventListener("click", () => { state.themeOpen = false; }, { capture: true });
  on("selected", () => { if (state.tileKey || state.sectionKey) state.themeOpen = false; });
  // Undo and redo may change the colours: the warnings follow.
  on("replaced", () => { if (state.themeOpen) askSoon(); });
}
