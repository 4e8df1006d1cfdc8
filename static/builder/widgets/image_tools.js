// Tools for an image already chosen: its focal point (click on the picture: crops of it
// keep that spot in view) and "replace everywhere" (every tile of the draft that uses it
// gets another image from the library, or a new upload, as one undoable edit).
import { h, clear } from "../dom.js";
import { flush } from "../save.js";
import { takeDocument } from "../status.js";
import { gettext, ngettext, interpolate, state } from "../state.js";

// fill(gettext("…%(name)s…"), values): gettext stays visible to makemessages.
function fill(format, values) {
  return interpolate(format, values, true);
}

function assetName(asset) {
  return asset.original_name || fill(gettext("Image %(id)s"), { id: asset.id });
}

function percent(value) {
  return Math.round((value ?? 0.5) * 100);
}

// The picture with its focal point marked; a click (or arrow keys) moves the point.
export function focalPicker({ asset, ctx, id }) {
  const status = h("p", { class: "small focal-status", role: "status", id: `${id}-focal-status` });
  const marker = h("span", { class: "focal-marker", "aria-hidden": "true" });
  const place = (x, y) => { marker.style.left = `${percent(x)}%`; marker.style.top = `${percent(y)}%`; };
  place(asset.focal_x, asset.focal_y);
  const share = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
  const describe = (x, y) => fill(gettext("Focal point: %(x)s from the left, %(y)s from the top."),
    { x: share.format(percent(x) / 100), y: share.format(percent(y) / 100) });

  async function save(x, y) {
    x = Math.min(1, Math.max(0, Math.round(x * 1000) / 1000));
    y = Math.min(1, Math.max(0, Math.round(y * 1000) / 1000));
    place(x, y);
    status.textContent = gettext("Saving the focal point…");
    try {
      const saved = await ctx.api.patch(`stores/${ctx.storeId}/assets/${asset.id}/`, { focal_x: x, focal_y: y });
      ctx.assets.set(saved.id, saved);
      Object.assign(asset, saved);
      status.textContent = describe(x, y);
      ctx.onAssetChanged && ctx.onAssetChanged();
    } catch (error) {
      status.textContent = error.message;
      status.classList.add("field-error");
    }
  }

  // Its size given up front, so the stage has its final shape before the file arrives: a
  // click during the load lands where the user sees it.
  const img = h("img", { src: asset.url, alt: "", class: "focal-image", draggable: "false",
    width: asset.width, height: asset.height });
  const stage = h("button", { type: "button", class: "focal-stage", id: `${id}-focal`,
    "aria-describedby": status.id,
    "aria-label": fill(gettext("Set the focal point of %(name)s: click on the subject, or use the arrow keys"), { name: assetName(asset) }),
    disabled: ctx.readOnly,
    onclick: (event) => {
      const box = img.getBoundingClientRect();
      if (!event.clientX && !event.clientY) return; // a keyboard "click": arrows move it
      if (!box.width || !box.height) return; // not laid out: no point to read
      save((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
    },
    onkeydown: (event) => {
      const step = event.shiftKey ? 0.1 : 0.05;
      const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      save((asset.focal_x ?? 0.5) + move[0], (asset.focal_y ?? 0.5) + move[1]);
    } }, img, marker);
  status.textContent = describe(asset.focal_x, asset.focal_y);
  return h("div", { class: "focal-box" },
    h("p", { class: "label" }, gettext("Focal point")),
    stage,
    h("p", { class: "hint" }, gettext("Click on the subject of the picture: where the page crops it (gallery cards, video posters), that spot stays in view.")),
    status);
}

// "Used in 3 tiles on 2 pages" and the replacement, from the library or a new upload.
export function replaceEverywhere({ asset, ctx, id, upload }) {
  const usage = h("p", { class: "small replace-usage", role: "status" });
  const grid = h("ul", { class: "library", "aria-label": gettext("Images to replace it with") });
  const status = h("p", { class: "small", role: "status" });

  async function replaceWith(other) {
    status.textContent = gettext("Replacing…");
    await flush();
    try {
      const saved = await ctx.api.post(`stores/${ctx.storeId}/draft/replace-asset/`,
        { asset: asset.id, by: other.id, revision: state.revision });
      const count = saved.replaced;
      delete saved.replaced;
      takeDocument(saved, count
        ? interpolate(ngettext("Image replaced in %(count)s tile.", "Image replaced in %(count)s tiles.", count), { count }, true)
        : gettext("Image replaced in the Store design."), { keepSelection: true });
    } catch (error) {
      status.textContent = fill(gettext("Not replaced: %(reason)s"), { reason: error.message });
      status.classList.add("field-error");
    }
  }

  async function load() {
    usage.textContent = gettext("Looking where it is used…");
    await flush();
    try {
      const all = await ctx.api.get(`stores/${ctx.storeId}/draft/asset-usage/`);
      const used = all[String(asset.id)] || { tiles: 0, pages: 0, design: false };
      const where = {
        tiles: interpolate(ngettext("%(count)s tile", "%(count)s tiles", used.tiles), { count: used.tiles }, true),
        pages: interpolate(ngettext("%(count)s page", "%(count)s pages", used.pages), { count: used.pages }, true),
      };
      usage.textContent = !used.design ? fill(gettext("Used in %(tiles)s on %(pages)s."), where)
        : used.tiles ? fill(gettext("Used in %(tiles)s on %(pages)s, and in the Store design."), where)
          : gettext("Used in the Store design (logo or banner).");
    } catch (error) {
      usage.textContent = error.message;
    }
    clear(grid);
    const others = Array.from(ctx.assets.values()).filter((a) => a.id !== asset.id).sort((a, b) => b.id - a.id).slice(0, 60);
    for (const other of others) {
      grid.append(h("li", {}, h("button", { type: "button", class: "library-item", dataset: { replaceWith: other.id },
        "aria-label": fill(gettext("Replace everywhere with %(name)s"), { name: assetName(other) }),
        onclick: () => replaceWith(other) }, h("img", { src: other.url, alt: "", loading: "lazy" }))));
    }
    if (!others.length) grid.append(h("li", { class: "muted small" }, gettext("No other image yet: upload one.")));
  }

  const file = h("input", { type: "file", id: `${id}-replace-file`, class: "sr-only", accept: "image/jpeg,image/png,image/webp",
    onchange: async () => {
      const chosen = file.files && file.files[0];
      if (!chosen) return;
      status.textContent = gettext("Uploading…");
      const made = await upload(chosen);
      if (made && made.id !== asset.id) await replaceWith(made);
      else if (made) status.textContent = gettext("That is the same image.");
    } });
  const box = h("details", { class: "library-box replace-box", ontoggle: () => { if (box.open) load(); } },
    h("summary", {}, gettext("Replace this image everywhere…")),
    usage,
    h("p", { class: "hint" }, gettext("Every tile of the draft that shows this image gets the one you choose (Undo takes it back).")),
    grid,
    h("label", { for: file.id, class: "btn btn-small" }, gettext("Upload a new image to replace it")), file,
    status);
  return box;
}
