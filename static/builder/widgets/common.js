// Parts the widgets share: a product search of the brand's catalogue, image addresses.
import { rows } from "../api.js";
import { clear, debounce, h } from "../dom.js";
import { productCache } from "../settings.js";
import { gettext, interpolate } from "../state.js";

export function say(format, values) {
  return interpolate(gettext(format), values, true);
}

export function productName(asin) {
  const product = productCache.get(asin);
  return product ? product.title : asin;
}

// A search box with results; `onPick(product)` when one is chosen.
export function productSearch({ ctx, id, label, onPick }) {
  const input = h("input", { type: "search", id, autocomplete: "off", placeholder: gettext("Search by name or ASIN") });
  const results = h("ul", { class: "picker-results", "aria-live": "polite" });
  const run = debounce(async () => {
    const params = new URLSearchParams({ q: input.value.trim(), limit: "8" });
    if (ctx.brandSlug) params.set("brand", ctx.brandSlug);
    try {
      const found = rows(await ctx.api.get(`products/?${params}`));
      clear(results);
      for (const product of found) {
        productCache.set(product.asin, product);
        results.append(h("li", { class: "picker-result", dataset: { asin: product.asin } },
          h("span", { class: "product-title" }, product.title),
          h("button", { type: "button", class: "btn btn-small", "aria-label": say("Choose %(product)s", { product: product.title }),
            onclick: () => onPick(product) }, gettext("Choose"))));
      }
      if (!found.length) results.append(h("li", { class: "muted small" }, gettext("No product found.")));
    } catch (error) {
      clear(results).append(h("li", { class: "field-error" }, error.message));
    }
  }, 250);
  input.addEventListener("input", run);
  return h("div", { class: "product-search" }, h("label", { for: id }, label), input, results);
}

// The tile's image (its first image field), for widgets that draw on it.
export function tileImage(ctx) {
  const fields = (ctx.tileType && ctx.tileType.fields) || [];
  const field = fields.find((f) => f.kind === "image");
  const config = (ctx.freshConfig && ctx.freshConfig()) || ctx.config || {};
  const id = field ? config[field.name] : null;
  return id ? ctx.assets.get(id) || null : null;
}
