// Hot-spots placed on the image itself: click where the product is, drag a spot to adjust
// it (or move it with the arrow keys), pick its product from the brand's catalogue.
import { clear, h, iconButton } from "../dom.js";
import { gettext } from "../state.js";
import { productName, productSearch, say, tileImage } from "./common.js";
import { provide } from "./index.js";

const round = (n) => Math.round(Math.max(0, Math.min(100, n)) * 100) / 100;

provide("hotspots", ({ field, value, onChange, ctx }) => {
  let spots = Array.isArray(value) ? value.map((s) => ({ ...s })) : [];
  const box = h("fieldset", { class: "hotspots-edit" });
  const image = tileImage(ctx);
  const save = () => onChange(spots.map((s) => ({ ...s })));

  const draw = () => {
    clear(box).append(h("legend", {}, field.label));
    if (!image) {
      box.append(h("p", { class: "hint" }, gettext("Choose the image first: then click on it where each product is.")));
      return;
    }
    box.append(h("p", { class: "hint", id: `${ctx.id}-how` },
      gettext("Click on the image where a product is to add a hot-spot; drag a hot-spot (or use the arrow keys on it) to move it.")));
    const stage = h("div", { class: "hotspot-stage", id: `${ctx.id}-stage` },
      h("img", { src: image.url, alt: "", draggable: "false" }));
    stage.addEventListener("click", (event) => {
      if (event.target.closest(".hotspot-pin") || ctx.readOnly) return;
      if (field.max_items && spots.length >= field.max_items) return;
      const rect = stage.getBoundingClientRect();
      spots.push({ x: round(((event.clientX - rect.left) / rect.width) * 100),
        y: round(((event.clientY - rect.top) / rect.height) * 100), asin: "" });
      save();
      draw();
      const search = box.querySelector(`#${CSS.escape(`${ctx.id}-${spots.length - 1}-search`)}`);
      if (search) search.focus();
    });
    spots.forEach((spot, i) => stage.append(pin(spot, i, stage)));
    box.append(stage);
    const list = h("ol", { class: "hotspot-list" });
    spots.forEach((spot, i) => {
      list.append(h("li", { class: "hotspot-item", dataset: { index: i } },
        h("div", { class: "hotspot-line" },
          h("strong", {}, spot.asin ? productName(spot.asin) : gettext("No product yet")),
          iconButton("✕", say("Remove hot-spot %(n)s", { n: i + 1 }), () => { spots.splice(i, 1); save(); draw(); })),
        productSearch({ ctx, id: `${ctx.id}-${i}-search`, label: say("Product of hot-spot %(n)s", { n: i + 1 }),
          onPick: (product) => { spot.asin = product.asin; save(); draw(); } })));
    });
    box.append(list);
  };

  function pin(spot, i, stage) {
    const button = h("button", { type: "button", class: "hotspot-pin",
      "aria-label": say("Hot-spot %(n)s: %(product)s, at %(x)s percent across and %(y)s percent down", {
        n: i + 1, product: spot.asin ? productName(spot.asin) : gettext("no product yet"), x: Math.round(spot.x), y: Math.round(spot.y) }),
      "aria-describedby": `${ctx.id}-how` }, String(i + 1));
    const place = () => { button.style.left = `${spot.x}%`; button.style.top = `${spot.y}%`; };
    place();
    button.addEventListener("pointerdown", (event) => {
      if (ctx.readOnly) return;
      event.preventDefault();
      button.setPointerCapture(event.pointerId);
      const rect = stage.getBoundingClientRect();
      const move = (e) => {
        spot.x = round(((e.clientX - rect.left) / rect.width) * 100);
        spot.y = round(((e.clientY - rect.top) / rect.height) * 100);
        place();
      };
      const up = () => {
        button.removeEventListener("pointermove", move);
        button.removeEventListener("pointerup", up);
        save();
      };
      button.addEventListener("pointermove", move);
      button.addEventListener("pointerup", up);
    });
    button.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 5 : 1;
      const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[event.key];
      if (!delta) return;
      event.preventDefault();
      spot.x = round(spot.x + delta[0]);
      spot.y = round(spot.y + delta[1]);
      place();
      save();
    });
    return button;
  }

  draw();
  return box;
});
