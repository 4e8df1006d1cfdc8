// Where a click goes, chosen from what exists: a page of this Store or one of the brand's
// products. Never a typed address (links stay inside the marketplace).
import { clear, h } from "../dom.js";
import { gettext } from "../state.js";
import { productName, productSearch, say } from "./common.js";
import { provide } from "./index.js";

provide("link", ({ field, value, onChange, ctx }) => {
  const box = h("fieldset", { class: "link-edit" }, h("legend", {}, field.label));
  const current = h("p", { class: "link-current", id: `${ctx.id}-current` });
  const body = h("div", { class: "link-target" });
  let link = value && (value.page || value.asin) ? { ...value } : null;
  let mode = link && link.asin ? "asin" : link && link.page ? "page" : "";

  const pageTitle = (key) => {
    const page = (ctx.pages || []).find((p) => p.key === key);
    return page ? page.title || key : key;
  };
  const describe = () => {
    current.textContent = !link ? gettext("No link.")
      : link.page ? say("Links to the page “%(title)s”.", { title: pageTitle(link.page) })
        : say("Links to the product “%(product)s”.", { product: productName(link.asin) });
  };
  const set = (next) => { link = next; onChange(next); describe(); };

  const radios = h("div", { class: "link-modes", role: "radiogroup", "aria-label": field.label },
    [["", gettext("No link")], ["page", gettext("A page of this Store")], ["asin", gettext("A product")]].map(([val, text]) => {
      const id = `${ctx.id}-mode-${val || "none"}`;
      return h("label", { class: "check", for: id },
        h("input", { type: "radio", name: `${ctx.id}-mode`, id, value: val, checked: mode === val,
          onchange: () => { mode = val; if (!val) set(null); draw(); } }), text);
    }));

  const draw = () => {
    clear(body);
    if (mode === "page") {
      const pages = ctx.pages || [];
      const select = h("select", { id: `${ctx.id}-page`, onchange: (e) => set({ page: e.target.value }) },
        pages.map((p) => h("option", { value: p.key }, p.title || p.key)));
      select.value = link && link.page ? link.page : (pages[0] && pages[0].key) || "";
      body.append(h("label", { for: `${ctx.id}-page` }, gettext("Page")), select);
      if (!link || !link.page) set({ page: select.value });
    } else if (mode === "asin") {
      body.append(productSearch({ ctx, id: `${ctx.id}-product`, label: gettext("Product"),
        onPick: (product) => set({ asin: product.asin }) }));
    }
  };
  box.append(radios, body, current);
  describe();
  draw();
  return box;
});
