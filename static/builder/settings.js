// The settings panel of one tile, drawn from its type's field schema (GET /api/v1/tile-types/).
// Every label, help text, choice, limit and default comes from the server; this file only
// knows widgets per field *kind*. More widgets: `registerWidget(kind, render)` (e.g. from
// static/builder/widgets/<kind>.js); a later registration replaces an earlier one.
import { rows } from "./api.js";
import { clear, debounce, h, iconButton } from "./dom.js";
import { markFields } from "./findings.js";
import { richTextField } from "./richtext.js";
import { currentPage, sectionLabel } from "./state.js";
import { TIME_ZONE, utcToWall, wallToUtc } from "./zone.js";

const gettext = (s) => (window.gettext ? window.gettext(s) : s);
const interpolate = (fmt, obj) => (window.interpolate ? window.interpolate(fmt, obj, true)
  : fmt.replace(/%\((\w+)\)s/g, (_, k) => String(obj[k])));

export const productCache = new Map();
// Product searches by tile key: a rebuilt panel keeps what the user was searching for.
const searches = new Map();
// Upload messages by field id: they outlive a rebuild of the panel during the upload.
const uploadNotes = new Map();

const widgets = new Map();

// `render({ field, value, onChange, ctx })` returns an HTMLElement. `ctx` holds the tile,
// its config, `id` (the id for the main control), `errors` (of this field), `readOnly`,
// and the editor's services (api, storeId, brandSlug, assets, pages, refresh, ensureProducts).
export function registerWidget(kind, render) {
  widgets.set(kind, render);
}

export function getPath(config, name) {
  let value = config;
  for (const part of name.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = value[part];
  }
  return value;
}

export function setPath(config, name, value) {
  const parts = name.split(".");
  const last = parts.pop();
  let target = config;
  for (const part of parts) {
    if (target[part] === null || typeof target[part] !== "object") target[part] = {};
    target = target[part];
  }
  target[last] = value;
}

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export function isShown(field, config) {
  return Object.entries(field.show_if || {}).every(([name, want]) => getPath(config, name) === want);
}

// The config with only the fields that apply: kept values, defaults for fields that just
// appeared (e.g. after switching a grid to "automatic"), nothing of fields that went away.
export function reshape(fields, config) {
  const next = {};
  for (const field of fields) {
    if (!isShown(field, next)) continue;
    const value = getPath(config, field.name);
    setPath(next, field.name, value === undefined ? clone(field.default) : value);
  }
  return next;
}

function labelled(id, field, control, ...extra) {
  return h("div", { class: "widget" }, h("label", { for: id }, field.label), control, ...extra);
}

// --- the widgets of the basic kinds ----------------------------------------------------

registerWidget("text", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "text", id: ctx.id, value: value || "", maxlength: field.max_length,
    oninput: (e) => onChange(e.target.value || (field.default === null ? null : "")) })));

registerWidget("video_url", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "url", id: ctx.id, value: value || "", maxlength: field.max_length,
    inputmode: "url", oninput: (e) => onChange(e.target.value) })));

registerWidget("category", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "text", id: ctx.id, value: value || "",
    oninput: (e) => onChange(e.target.value || null) })));

registerWidget("integer", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "number", id: ctx.id, min: field.min, max: field.max, step: 1,
    value: value ?? "",
    oninput: (e) => {
      const n = parseInt(e.target.value, 10);
      if (!Number.isNaN(n)) onChange(n);
    } })));

registerWidget("choice", ({ field, value, onChange, ctx }) => {
  const select = h("select", { id: ctx.id, onchange: (e) => onChange(e.target.value) },
    field.choices.map((choice) => h("option", { value: choice.value }, choice.label)));
  select.value = value ?? field.default;
  return labelled(ctx.id, field, select);
});

registerWidget("boolean", ({ field, value, onChange, ctx }) => h("label", { class: "check", for: ctx.id },
  h("input", { type: "checkbox", id: ctx.id, checked: Boolean(value),
    onchange: (e) => onChange(e.target.checked) }),
  field.label));

registerWidget("color", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "color", id: ctx.id, value: value || "#000000",
    oninput: (e) => onChange(e.target.value) })));

// Shown and typed on the wall clock of the user's own time zone (named beside the field),
// stored as a UTC moment.
registerWidget("datetime", ({ field, value, onChange, ctx }) => labelled(ctx.id, field,
  h("input", { type: "datetime-local", id: ctx.id,
    value: value && !Number.isNaN(new Date(value).getTime()) ? utcToWall(value) : "",
    onchange: (e) => onChange(e.target.value ? wallToUtc(e.target.value) : null) }),
  h("span", { class: "hint" }, interpolate(gettext("Time in %(zone)s"), { zone: TIME_ZONE }))));

registerWidget("rich_text", ({ field, value, onChange, ctx }) => richTextField({
  id: ctx.id, label: field.label, value: value || "", readOnly: ctx.readOnly,
  invalid: ctx.errors.length > 0, hint: field.help, onChange,
}));

registerWidget("image", ({ field, onChange, ctx }) => imageUpload({ field, ctx, onChange,
  current: () => getPath(ctx.freshConfig() || ctx.config, field.name),
  alt: () => (field.alt_field ? getPath(ctx.freshConfig() || ctx.config, field.alt_field) : "") }));

registerWidget("images", ({ field, value, onChange, ctx }) => {
  const box = h("div", { class: "gallery-edit" });
  let items = Array.isArray(value) ? value : [];
  const commit = () => { onChange(items); draw(); };
  const draw = () => {
    clear(box);
    box.append(h("span", { class: "label" }, field.label));
    items.forEach((item, i) => {
      const altId = `${ctx.id}-${i}-alt`;
      const itemField = { ...field, name: `${field.name}-${i}`, label: interpolate(gettext("Image %(n)s"), { n: i + 1 }) };
      box.append(h("div", { class: "gallery-item" },
        imageUpload({ field: itemField, ctx: { ...ctx, id: `${ctx.id}-${i}` },
          current: () => (getPath(ctx.freshConfig() || ctx.config, field.name) || [])[i]?.asset,
          alt: () => item.alt,
          onChange: (asset) => {
            const list = getPath(ctx.freshConfig() || ctx.config, field.name) || items;
            if (list[i]) list[i].asset = asset;
            items = list;
            onChange(list);
          } }),
        h("label", { for: altId }, gettext("Alt text")),
        h("input", { id: altId, value: item.alt || "", maxlength: field.max_length,
          oninput: (e) => { item.alt = e.target.value; onChange(items); } }),
        h("span", { class: "row-tools" },
          iconButton("↑", interpolate(gettext("Move image %(n)s up"), { n: i + 1 }), () => move(i, i - 1), { disabled: i === 0 }),
          iconButton("↓", interpolate(gettext("Move image %(n)s down"), { n: i + 1 }), () => move(i, i + 1), { disabled: i === items.length - 1 }),
          iconButton("✕", interpolate(gettext("Remove image %(n)s"), { n: i + 1 }), () => { items.splice(i, 1); commit(); }))));
    });
    if (!field.max_items || items.length < field.max_items) {
      box.append(h("button", { type: "button", class: "btn btn-small",
        onclick: () => { items = [...items, { asset: null, alt: "" }]; commit(); } }, gettext("Add an image")));
    }
  };
  const move = (from, to) => {
    const [item] = items.splice(from, 1);
    items.splice(to, 0, item);
    commit();
  };
  draw();
  return box;
});

registerWidget("product", ({ field, value, onChange, ctx }) => productPicker({ field, ctx,
  current: () => (value ? [value] : []),
  set: (list) => { value = list[0] || ""; onChange(value); } }));

registerWidget("products", ({ field, value, onChange, ctx }) => productPicker({ field, ctx, multiple: true,
  current: () => (Array.isArray(value) ? value : []),
  set: (list) => { value = list; onChange(list); } }));

registerWidget("hotspots", ({ field, value, onChange, ctx }) => {
  const box = h("fieldset", { class: "hotspots-edit" }, h("legend", {}, field.label));
  let spots = Array.isArray(value) ? value : [];
  const draw = () => {
    clear(box).append(h("legend", {}, field.label));
    spots.forEach((spot, i) => {
      const id = `${ctx.id}-${i}`;
      const number = (axis) => h("input", { type: "number", id: `${id}-${axis}`, min: field.min, max: field.max,
        step: "any", value: spot[axis] ?? 50, class: "narrow",
        oninput: (e) => { const n = parseFloat(e.target.value); if (!Number.isNaN(n)) { spot[axis] = n; onChange(spots); } } });
      box.append(h("div", { class: "hotspot-row" },
        h("label", { for: `${id}-x` }, "x %"), number("x"),
        h("label", { for: `${id}-y` }, "y %"), number("y"),
        h("label", { for: `${id}-asin` }, gettext("ASIN")),
        h("input", { id: `${id}-asin`, value: spot.asin || "", maxlength: 10, class: "asin-input",
          oninput: (e) => { spot.asin = e.target.value.trim().toUpperCase(); onChange(spots); } }),
        iconButton("✕", interpolate(gettext("Remove hot-spot %(n)s"), { n: i + 1 }),
          () => { spots.splice(i, 1); onChange(spots); draw(); })));
    });
    if (!field.max_items || spots.length < field.max_items) {
      box.append(h("button", { type: "button", class: "btn btn-small",
        onclick: () => { spots = [...spots, { x: 50, y: 50, asin: "" }]; onChange(spots); draw(); } },
      gettext("Add a hot-spot")));
    }
  };
  draw();
  return box;
});

registerWidget("link", ({ field, value, onChange, ctx }) => {
  const kind = value && value.page ? "page" : value && value.asin ? "asin" : "";
  const box = h("fieldset", { class: "link-edit" }, h("legend", {}, field.label));
  const target = h("div", { class: "link-target" });
  const select = h("select", { id: ctx.id, "aria-label": field.label,
    onchange: (e) => { draw(e.target.value, null); } },
  h("option", { value: "" }, gettext("No link")),
  h("option", { value: "page" }, gettext("A page of this Store")),
  h("option", { value: "asin" }, gettext("A product's page")));
  select.value = kind;
  const draw = (which, current) => {
    clear(target);
    if (which === "page") {
      const pages = ctx.pages || [];
      const pick = h("select", { id: `${ctx.id}-page`, "aria-label": gettext("Page"),
        onchange: (e) => onChange({ page: e.target.value }) },
      pages.map((p) => h("option", { value: p.key }, p.title || p.key)));
      pick.value = (current && current.page) || (pages[0] && pages[0].key) || "";
      target.append(pick);
      if (!current && pick.value) onChange({ page: pick.value });
    } else if (which === "asin") {
      target.append(h("input", { id: `${ctx.id}-asin`, "aria-label": gettext("ASIN"), maxlength: 10,
        value: (current && current.asin) || "", placeholder: "B0…",
        oninput: (e) => onChange(e.target.value.trim() ? { asin: e.target.value.trim().toUpperCase() } : null) }));
    } else if (current !== undefined) {
      onChange(null);
    }
  };
  draw(kind, value || undefined);
  box.append(select, target);
  return box;
});

// Values without a widget of their own: edited as JSON.
function jsonWidget({ field, value, onChange, ctx }) {
  const area = h("textarea", { id: ctx.id, rows: 5, class: "json", value: JSON.stringify(value ?? null, null, 2),
    oninput: (e) => {
      try {
        onChange(JSON.parse(e.target.value));
        area.classList.remove("invalid");
      } catch (error) {
        area.classList.add("invalid");
      }
    } });
  return labelled(ctx.id, field, area);
}

// --- the panel -------------------------------------------------------------------------

// Where the tile sits, as the brand owner sees the page (its key means nothing to them).
function tilePlace(tile) {
  const page = currentPage();
  const section = page && page.sections.find((s) => s.tiles.some((t) => t.key === tile.key));
  if (!section) return null;
  const position = section.tiles.findIndex((t) => t.key === tile.key) + 1;
  return interpolate(gettext("Tile %(position)s of %(count)s in %(section)s"),
    { position, count: section.tiles.length, section: sectionLabel(page, section) }, true);
}

export function renderSettings(container, ctx) {
  const { tile, tileType, errors, readOnly } = ctx;
  clear(container);
  container.dataset.tile = tile ? tile.key : "";
  if (!tile) {
    container.append(h("p", { class: "muted" }, gettext("Select a tile to change its settings.")));
    return;
  }
  for (const id of uploadNotes.keys()) {
    if (!id.startsWith(`cfg-${tile.key}-`)) uploadNotes.delete(id);
  }
  const config = tile.config || (tile.config = {});
  const fields = (tileType && tileType.fields) || [];
  const tileFields = (tileType && tileType.tile_fields) || [];
  const shown = fields.filter((field) => isShown(field, config));
  const known = new Set([...shown, ...tileFields].map((f) => f.name));
  const fieldOf = (e) => (e.field && known.has(e.field) ? e.field : null);
  const general = errors.filter((e) => !fieldOf(e));
  // Fields others depend on: changing one redraws the form with the fields that apply.
  const drivers = new Set(fields.flatMap((f) => Object.keys(f.show_if || {})));

  const form = h("form", { class: "settings-form", novalidate: true,
    onsubmit: (event) => event.preventDefault() });
  container.append(...[
    h("div", { class: "settings-head" },
      h("h2", {}, tileType ? tileType.label : tile.type),
      h("span", { class: "muted" }, tilePlace(tile)),
      iconButton("✕", gettext("Close settings"), ctx.close, { cls: "settings-close" })),
    tileType && tileType.description ? h("p", { class: "muted small" }, tileType.description) : null,
    general.length ? h("ul", { class: "error-list" }, general.map((e) => h("li", {}, e.message))) : null,
    ctx.extra ? ctx.extra(tile) : null,
    form,
  ].filter(Boolean));

  const draw = (field, value, write, idName) => {
    const fieldErrors = errors.filter((e) => fieldOf(e) === field.name);
    const id = `cfg-${tile.key}-${idName}`;
    const render = widgets.get(field.kind) || jsonWidget;
    const control = render({ field, value, onChange: write,
      ctx: { ...ctx, config, id, errors: fieldErrors, readOnly } });
    const helpId = `${id}-help`;
    return h("div", { class: `field field-${idName} kind-${field.kind}${fieldErrors.length ? " has-error" : ""}`,
      dataset: { field: field.name } },
    control,
    field.help && field.kind !== "rich_text" ? h("p", { class: "hint", id: helpId }, field.help) : null,
    fieldErrors.length ? h("ul", { class: "error-list" }, fieldErrors.map((e) => h("li", {}, e.message))) : null);
  };

  for (const field of shown) {
    const write = (value) => {
      const target = ctx.freshConfig() || config;
      setPath(target, field.name, value);
      if (drivers.has(field.name)) {
        tile.config = reshape(fields, target);
        ctx.changed();
        renderSettings(container, ctx);
        return;
      }
      ctx.changed();
    };
    form.append(draw(field, getPath(config, field.name), write, field.name.replace(/\./g, "-")));
  }
  // Properties of the tile itself (where it shows), not of its config.
  for (const field of tileFields) {
    form.append(draw(field, tile[field.name] ?? field.default,
      (value) => { tile[field.name] = value; ctx.changed(); }, field.name));
  }
  if (readOnly) form.querySelectorAll("input, select, textarea, button").forEach((el) => { el.disabled = true; });
  markFields(container);
}

// --- shared parts of the widgets -------------------------------------------------------

function stockBadge(product) {
  if (!product) return h("span", { class: "stock-badge stock-unknown" }, "…");
  if (product.in_stock) {
    const qty = product.quantity !== undefined ? ` (${product.quantity})` : "";
    return h("span", { class: "stock-badge stock-in" }, `${gettext("In stock")}${qty}`);
  }
  return h("span", { class: "stock-badge stock-out" }, gettext("Out of stock"));
}

function productPicker({ field, ctx, multiple = false, current, set }) {
  const tile = ctx.tile;
  const picked = h("ol", { class: "picked", "aria-label": gettext("Chosen products") });
  const results = h("ul", { class: "picker-results", "aria-live": "polite" });
  const searchId = `pick-${tile.key}`;
  const remembered = searches.get(tile.key) || { q: "", inStock: false };
  const search = h("input", { type: "search", id: searchId, placeholder: gettext("Search by name or ASIN"),
    autocomplete: "off", value: remembered.q });
  const inStockOnly = h("input", { type: "checkbox", id: `${searchId}-stock`, checked: remembered.inStock });
  const full = () => multiple && field.max_items && current().length >= field.max_items;

  const setCurrent = (list) => {
    set(list);
    drawPicked();
    drawResults(lastResults);
  };

  function productLine(asin, product) {
    return h("span", { class: "product-line" },
      product && product.image ? h("img", { src: product.image, alt: "", class: "thumb" })
        : h("span", { class: "thumb thumb-empty", "aria-hidden": "true" }),
      h("span", { class: "product-title", title: product ? product.title : asin }, product ? product.title : asin),
      h("span", { class: "product-meta" }, h("code", { class: "asin" }, asin), stockBadge(product)));
  }

  function drawPicked() {
    clear(picked);
    const list = current();
    if (!list.length) picked.append(h("li", { class: "muted" }, gettext("No product chosen yet.")));
    list.forEach((asin, i) => {
      picked.append(h("li", { class: "picked-item", dataset: { asin } },
        productLine(asin, productCache.get(asin)),
        h("span", { class: "row-tools" },
          multiple ? iconButton("↑", interpolate(gettext("Move %(asin)s up"), { asin }), () => { const l = [...list]; l.splice(i - 1, 0, l.splice(i, 1)[0]); setCurrent(l); }, { disabled: i === 0 }) : null,
          multiple ? iconButton("↓", interpolate(gettext("Move %(asin)s down"), { asin }), () => { const l = [...list]; l.splice(i + 1, 0, l.splice(i, 1)[0]); setCurrent(l); }, { disabled: i === list.length - 1 }) : null,
          iconButton("✕", interpolate(gettext("Remove %(asin)s"), { asin }), () => setCurrent(list.filter((a) => a !== asin))))));
    });
    ctx.ensureProducts(list.filter((asin) => !productCache.has(asin))).then((found) => {
      if (found) drawPicked();
    });
  }

  let lastResults = [];
  function drawResults(products) {
    lastResults = products;
    clear(results);
    const list = current();
    for (const product of products) {
      const chosen = list.includes(product.asin);
      results.append(h("li", { class: "picker-result", dataset: { asin: product.asin } },
        productLine(product.asin, product),
        h("button", { type: "button", class: "btn btn-small", disabled: chosen || full() || ctx.readOnly,
          "aria-label": interpolate(gettext("Add %(title)s"), { title: product.title }),
          onclick: () => setCurrent(multiple ? [...current(), product.asin] : [product.asin]) },
        chosen ? gettext("Added") : gettext("Add"))));
    }
  }

  const runSearch = debounce(async () => {
    searches.set(tile.key, { q: search.value, inStock: inStockOnly.checked });
    const params = new URLSearchParams({ q: search.value.trim(), limit: "20" });
    if (ctx.brandSlug) params.set("brand", ctx.brandSlug);
    if (inStockOnly.checked) params.set("in_stock", "true");
    results.setAttribute("aria-busy", "true");
    try {
      const found = rows(await ctx.api.get(`products/?${params}`));
      found.forEach((p) => productCache.set(p.asin, p));
      drawResults(found);
    } catch (error) {
      clear(results).append(h("li", { class: "field-error" }, error.message));
    } finally {
      results.removeAttribute("aria-busy");
    }
  }, 250);
  search.addEventListener("input", runSearch);
  inStockOnly.addEventListener("change", runSearch);
  drawPicked();
  runSearch();

  return h("div", { class: "picker" },
    h("span", { class: "label" }, field.label),
    picked,
    h("div", { class: "picker-search" },
      h("label", { for: searchId, class: "sr-only" }, gettext("Search products")),
      search,
      h("label", { class: "check", for: `${searchId}-stock` }, inStockOnly, gettext("In stock only"))),
    results);
}

// `current` reads the value when drawn; `onChange` runs when an upload finishes (the panel
// may have been rebuilt meanwhile, so it writes into the tile's config as it is then).
function imageUpload({ field, ctx, current, alt, onChange }) {
  const id = ctx.id;
  const note = uploadNotes.get(id);
  const status = h("p", { class: `upload-status${note && note.error ? " field-error" : ""}`, role: "status" },
    note ? note.text : "");
  const preview = h("div", { class: "upload-preview" });
  const value = current();
  const asset = ctx.assets.get(value);
  if (asset) {
    preview.append(h("img", { src: asset.url, alt: alt() || "", class: "upload-thumb" }),
      h("span", { class: "muted small" }, `${asset.width} × ${asset.height}`));
  } else if (value) {
    preview.append(h("span", { class: "muted" }, interpolate(gettext("Image %(id)s"), { id: value })));
  } else {
    preview.append(h("span", { class: "muted" }, gettext("No image yet.")));
  }
  const input = h("input", { type: "file", id, accept: "image/jpeg,image/png,image/webp",
    onchange: async () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const form = new FormData();
      form.append("file", file);
      uploadNotes.set(id, { text: gettext("Uploading…") });
      status.textContent = gettext("Uploading…");
      status.className = "upload-status";
      try {
        const uploaded = await ctx.api.upload(`stores/${ctx.storeId}/assets/`, form);
        ctx.assets.set(uploaded.id, uploaded);
        uploadNotes.set(id, { text: gettext("Uploaded.") });
        onChange(uploaded.id);
      } catch (error) {
        uploadNotes.set(id, { text: error.message, error: true });
      }
      ctx.refresh();
    } });
  return h("div", { class: "image-upload" }, h("label", { for: id }, field.label), preview, input,
    h("p", { class: "hint" }, gettext("JPEG, PNG or WebP.")), status);
}

// --- a tile's one-line summary on the canvas, from its fields ---------------------------

const plain = (html) => String(html || "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();

const SUMMARIES = {
  products: (field, value) => interpolate(
    window.ngettext ? window.ngettext("%(n)s product chosen", "%(n)s products chosen", (value || []).length)
      : ((value || []).length === 1 ? "%(n)s product chosen" : "%(n)s products chosen"), { n: (value || []).length }),
  product: (field, value) => (value ? interpolate(gettext("Product %(asin)s"), { asin: value }) : gettext("No product chosen")),
  image: (field, value, config) => (field.required
    ? (value ? (getPath(config, field.alt_field || "") || gettext("Image without alt text")) : gettext("No image yet")) : ""),
  images: (field, value) => interpolate(gettext("%(n)s images"), { n: (value || []).length }),
  hotspots: (field, value) => interpolate(gettext("%(n)s hot-spots"), { n: (value || []).length }),
  rich_text: (field, value) => plain(value).slice(0, 80) || gettext("Empty text"),
  video_url: (field, value) => value || gettext("No video yet"),
  // Only a choice that decides which other fields apply (e.g. how products are chosen).
  choice: (field, value, config, drivers) => (drivers.has(field.name)
    ? (field.choices.find((c) => c.value === value) || {}).label || "" : ""),
  integer: (field, value) => (value != null ? `${field.label}: ${value}` : ""),
  text: (field, value) => (value ? String(value).slice(0, 60) : ""),
};

export function tileSummary(tile, tileType) {
  const config = tile.config || {};
  const fields = ((tileType && tileType.fields) || []).filter((field) => isShown(field, config));
  const drivers = new Set(fields.flatMap((f) => Object.keys(f.show_if || {})));
  // An image's alt text is said with the image already.
  const alts = new Set(fields.filter((f) => f.kind === "image").map((f) => f.alt_field));
  const parts = fields.filter((f) => !alts.has(f.name)).map((field) => (SUMMARIES[field.kind] || (() => ""))(
    field, getPath(config, field.name), config, drivers)).filter(Boolean);
  return parts.slice(0, 3).join(" · ");
}
