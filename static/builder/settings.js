// The settings panel of one tile: a form built from the tile's configuration, with a
// product picker (search + stock badges), image upload with alt text, formatted text (see
// richtext.js), video and limits.
import { rows } from "./api.js";
import { clear, debounce, h, iconButton } from "./dom.js";
import { richTextField } from "./richtext.js";

const OPTIONS = {
  mode: [["manual", "Products I choose"], ["automated", "Automatic (by a rule)"]],
  sort: [
    ["best_selling", "Best selling"], ["rating", "Rating"], ["price_low", "Price: low to high"],
    ["price_high", "Price: high to low"], ["newest", "Newest"],
  ],
  visibility: [["all", "Phones and desktops"], ["desktop", "Desktops only"], ["phone", "Phones only"]],
  align: [["start", "Left"], ["center", "Centred"]],
  layout: [["product_details", "Product details"]],
};

const LABELS = {
  asins: "Products", asin: "Product", asset: "Image", alt: "Alt text (describe the image)",
  hide_out_of_stock: "Hide products that are out of stock", limit: "How many products (at most)",
  mode: "Products", sort: "Order", visibility: "Show on", url: "Video address (YouTube or Vimeo)",
  html: "Text", text: "Text", body: "Text", heading: "Heading", caption: "Caption",
  layout: "Layout", rule: "Rule", title: "Heading", phone_asset: "Phone image (optional)",
  link: "Link (optional)", images: "Images", hotspots: "Hot-spots (x, y in %, ASIN)", align: "Alignment",
  poster: "Poster image (optional)",
};

const MANUAL_GRID = { mode: "manual", title: "", asins: [], hide_out_of_stock: false };
const AUTOMATED_GRID = {
  mode: "automated", title: "", rule: { category: null, keyword: "" }, sort: "best_selling", limit: 12,
};

export const productCache = new Map();
// Product searches by tile key: a rebuilt panel keeps what the user was searching for.
const searches = new Map();
// Upload messages by field id: they outlive a rebuild of the panel during the upload.
const uploadNotes = new Map();

function labelFor(name) {
  return LABELS[name] || name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

function stockBadge(product) {
  if (!product) return h("span", { class: "stock-badge stock-unknown" }, "…");
  if (product.in_stock) {
    const qty = product.quantity !== undefined ? ` (${product.quantity})` : "";
    return h("span", { class: "stock-badge stock-in" }, `In stock${qty}`);
  }
  return h("span", { class: "stock-badge stock-out" }, "Out of stock");
}

export function renderSettings(container, ctx) {
  const { tile, tileType, errors, readOnly } = ctx;
  clear(container);
  if (!tile) {
    container.append(h("p", { class: "muted" }, "Select a tile to change its settings."));
    return;
  }
  for (const id of uploadNotes.keys()) {
    if (!id.startsWith(`cfg-${tile.key}-`)) uploadNotes.delete(id);
  }
  const config = tile.config || (tile.config = {});
  const fieldErrors = (name) => errors.filter((e) => e.field === name);
  const general = errors.filter((e) => !e.field || (!(e.field in config) && e.field !== "visibility"));

  const form = h("form", { class: "settings-form", novalidate: true,
    onsubmit: (event) => event.preventDefault() });
  container.append(...[
    h("div", { class: "settings-head" },
      h("h2", {}, tileType ? tileType.label : tile.type),
      h("span", { class: "muted" }, `Tile ${tile.key}`),
      iconButton("✕", "Close settings", ctx.close, { cls: "settings-close" })),
    tileType && tileType.description ? h("p", { class: "muted small" }, tileType.description) : null,
    general.length ? h("ul", { class: "error-list" }, general.map((e) => h("li", {}, e.message))) : null,
    form,
  ].filter(Boolean));

  const changed = () => ctx.changed();
  const keys = Object.keys(config);
  const isGrid = tile.type === "product_grid";
  const skip = new Set(["mode"]);
  if (isGrid) {
    form.append(field("mode", selectInput("mode", config.mode || "manual", (value) => {
      const keep = config.visibility !== undefined ? { visibility: config.visibility } : {};
      tile.config = { ...(value === "manual" ? MANUAL_GRID : AUTOMATED_GRID), ...keep };
      tile.config = JSON.parse(JSON.stringify(tile.config));
      changed();
      renderSettings(container, ctx);
    })));
  }
  for (const name of keys) {
    if (isGrid && skip.has(name)) continue;
    form.append(field(name, inputFor(name)));
  }
  // Where the tile shows is a property of the tile, not of its config.
  const visErrors = errors.filter((e) => e.field === "visibility");
  form.append(h("div", { class: `field field-visibility${visErrors.length ? " has-error" : ""}` },
    selectInput("visibility", tile.visibility || "all", (v) => { tile.visibility = v; changed(); }),
    visErrors.length ? h("ul", { class: "error-list" }, visErrors.map((e) => h("li", {}, e.message))) : null));
  if (readOnly) form.querySelectorAll("input, select, textarea, button").forEach((el) => { el.disabled = true; });

  function field(name, control) {
    const errs = fieldErrors(name);
    return h("div", { class: `field field-${name}${errs.length ? " has-error" : ""}`, dataset: { field: name } },
      control,
      errs.length ? h("ul", { class: "error-list" }, errs.map((e) => h("li", {}, e.message))) : null);
  }

  function inputFor(name) {
    const value = config[name];
    const id = `cfg-${tile.key}-${name}`;
    if (name === "asins") return productPicker({ multiple: true });
    if (name === "asin") return productPicker({ multiple: false });
    if (name === "asset" || name.endsWith("_asset") || name === "poster") {
      return imageUpload(name, () => ctx.freshConfig() || config);
    }
    if (name === "images" && Array.isArray(value)) return galleryInput();
    if (name === "rule") return ruleInput();
    if (OPTIONS[name]) return selectInput(name, value, (v) => { config[name] = v; changed(); });
    if (typeof value === "boolean") {
      return h("label", { class: "check", for: id },
        h("input", { type: "checkbox", id, checked: value,
          onchange: (e) => { config[name] = e.target.checked; changed(); } }),
        labelFor(name));
    }
    if (typeof value === "number") {
      return labelled(id, name, h("input", { type: "number", id, min: 1, max: 100, value,
        oninput: (e) => {
          const n = parseInt(e.target.value, 10);
          if (!Number.isNaN(n)) { config[name] = n; changed(); }
        } }));
    }
    if (tile.type === "text" && name === "html") {
      // Brand owners are not HTML authors: a small formatted-text editor writes the HTML.
      return richTextField({ id, label: labelFor(name), value: value || "", readOnly,
        invalid: fieldErrors(name).length > 0,
        hint: "Headings, bold, italics, lists and links are kept; pasted text loses any other formatting.",
        onChange: (html) => { config[name] = html; changed(); } });
    }
    if (["html", "text", "body"].includes(name)) {
      return labelled(id, name, h("textarea", { id, rows: 6, value: value || "",
        oninput: (e) => { config[name] = e.target.value; changed(); } }),
        h("p", { class: "hint" }, "Bold, italics, lists and links are kept; anything else is removed when saved."));
    }
    if (typeof value === "string" || value === null) {
      const type = name.includes("url") ? "url" : "text";
      const wasNull = value === null;
      return labelled(id, name, h("input", { type, id, value: value || "",
        oninput: (e) => { config[name] = e.target.value || (wasNull ? null : ""); changed(); } }));
    }
    // Lists and objects we have no dedicated control for: edited as JSON.
    const area = h("textarea", { id, rows: 5, class: "json", value: JSON.stringify(value, null, 2),
      oninput: (e) => {
        try {
          config[name] = JSON.parse(e.target.value);
          area.classList.remove("invalid");
          changed();
        } catch (error) {
          area.classList.add("invalid");
        }
      } });
    return labelled(id, name, area);
  }

  function labelled(id, name, control, ...extra) {
    return [h("label", { for: id }, labelFor(name)), control, ...extra];
  }

  function selectInput(name, value, onChange) {
    const id = `cfg-${tile.key}-${name}`;
    const options = OPTIONS[name].map(([v, text]) => h("option", { value: v }, text));
    const select = h("select", { id, onchange: (e) => onChange(e.target.value) }, options);
    select.value = value;
    return [h("label", { for: id }, labelFor(name)), select];
  }

  function ruleInput() {
    const rule = config.rule || (config.rule = { category: null, keyword: "" });
    const kid = `cfg-${tile.key}-keyword`;
    const cid = `cfg-${tile.key}-category`;
    return h("fieldset", { class: "rule" },
      h("legend", {}, "Which products"),
      h("label", { for: kid }, "Keyword"),
      h("input", { id: kid, value: rule.keyword || "", placeholder: "e.g. tent",
        oninput: (e) => { rule.keyword = e.target.value || null; changed(); } }),
      h("label", { for: cid }, "Category (optional)"),
      h("input", { id: cid, value: rule.category || "", placeholder: "category slug",
        oninput: (e) => { rule.category = e.target.value || null; changed(); } }));
  }

  function productPicker({ multiple }) {
    const name = multiple ? "asins" : "asin";
    const picked = h("ol", { class: "picked", "aria-label": "Chosen products" });
    const results = h("ul", { class: "picker-results", "aria-live": "polite" });
    const searchId = `pick-${tile.key}`;
    const remembered = searches.get(tile.key) || { q: "", inStock: false };
    const search = h("input", { type: "search", id: searchId, placeholder: "Search by name or ASIN",
      autocomplete: "off", value: remembered.q });
    const inStockOnly = h("input", { type: "checkbox", id: `${searchId}-stock`, checked: remembered.inStock });

    const current = () => (multiple ? config.asins || [] : (config.asin ? [config.asin] : []));
    const setCurrent = (list) => {
      if (multiple) config.asins = list;
      else config.asin = list[0] || "";
      changed();
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
      if (!list.length) picked.append(h("li", { class: "muted" }, "No product chosen yet."));
      list.forEach((asin, i) => {
        picked.append(h("li", { class: "picked-item", dataset: { asin } },
          productLine(asin, productCache.get(asin)),
          h("span", { class: "row-tools" },
            multiple ? iconButton("↑", `Move ${asin} up`, () => { const l = [...list]; l.splice(i - 1, 0, l.splice(i, 1)[0]); setCurrent(l); }, { disabled: i === 0 }) : null,
            multiple ? iconButton("↓", `Move ${asin} down`, () => { const l = [...list]; l.splice(i + 1, 0, l.splice(i, 1)[0]); setCurrent(l); }, { disabled: i === list.length - 1 }) : null,
            iconButton("✕", `Remove ${asin}`, () => setCurrent(list.filter((a) => a !== asin))))));
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
          h("button", { type: "button", class: "btn btn-small", disabled: chosen,
            "aria-label": `Add ${product.title}`,
            onclick: () => setCurrent(multiple ? [...current(), product.asin] : [product.asin]) },
          chosen ? "Added" : "Add")));
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
      h("span", { class: "label" }, labelFor(name)),
      picked,
      h("div", { class: "picker-search" },
        h("label", { for: searchId, class: "sr-only" }, "Search products"),
        search,
        h("label", { class: "check", for: `${searchId}-stock` }, inStockOnly, "In stock only")),
      results);
  }

  // `resolve` finds the object to write into when the upload finishes, not when it starts.
  function imageUpload(name, resolve, idSuffix = "") {
    const id = `cfg-${tile.key}-${name}${idSuffix}`;
    const note = uploadNotes.get(id);
    const status = h("p", { class: `upload-status${note && note.error ? " field-error" : ""}`, role: "status" },
      note ? note.text : "");
    const preview = h("div", { class: "upload-preview" });
    const draw = () => {
      clear(preview);
      const target = resolve() || {};
      const asset = ctx.assets.get(target[name]);
      if (asset) preview.append(h("img", { src: asset.url, alt: target.alt || "", class: "upload-thumb" }),
        h("span", { class: "muted small" }, `${asset.width} × ${asset.height}`));
      else if (target[name]) preview.append(h("span", { class: "muted" }, `Image ${target[name]}`));
      else preview.append(h("span", { class: "muted" }, "No image yet."));
    };
    const input = h("input", { type: "file", id, accept: "image/jpeg,image/png,image/webp",
      onchange: async () => {
        const file = input.files && input.files[0];
        if (!file) return;
        const form = new FormData();
        form.append("file", file);
        uploadNotes.set(id, { text: "Uploading…" });
        status.textContent = "Uploading…";
        status.className = "upload-status";
        try {
          const asset = await ctx.api.upload(`stores/${ctx.storeId}/assets/`, form);
          ctx.assets.set(asset.id, asset);
          const target = resolve();
          if (target) target[name] = asset.id;
          uploadNotes.set(id, { text: "Uploaded." });
          changed();
        } catch (error) {
          uploadNotes.set(id, { text: error.message, error: true });
        }
        // The panel may have been rebuilt meanwhile: rebuild it again with the result.
        ctx.refresh();
      } });
    draw();
    return [h("label", { for: id }, labelFor(name)), preview, input,
      h("p", { class: "hint" }, "JPEG, PNG or WebP."), status];
  }

  function galleryInput() {
    const box = h("div", { class: "gallery-edit" });
    const draw = () => {
      clear(box);
      box.append(h("span", { class: "label" }, labelFor("images")));
      config.images.forEach((item, i) => {
        const altId = `cfg-${tile.key}-images-${i}-alt`;
        box.append(h("div", { class: "gallery-item" },
          imageUpload("asset", () => ((ctx.freshConfig() || config).images || [])[i], `-${i}`),
          h("label", { for: altId }, "Alt text"),
          h("input", { id: altId, value: item.alt || "", oninput: (e) => { item.alt = e.target.value; changed(); } }),
          h("span", { class: "row-tools" },
            iconButton("↑", `Move image ${i + 1} up`, () => { move(i, i - 1); }, { disabled: i === 0 }),
            iconButton("↓", `Move image ${i + 1} down`, () => { move(i, i + 1); }, { disabled: i === config.images.length - 1 }),
            iconButton("✕", `Remove image ${i + 1}`, () => { config.images.splice(i, 1); changed(); draw(); }))));
      });
      box.append(h("button", { type: "button", class: "btn btn-small",
        onclick: () => { config.images.push({ asset: null, alt: "" }); draw(); } }, "Add an image"));
    };
    const move = (from, to) => {
      const [item] = config.images.splice(from, 1);
      config.images.splice(to, 0, item);
      changed();
      draw();
    };
    draw();
    return box;
  }
}
