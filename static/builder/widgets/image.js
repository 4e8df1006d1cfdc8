// An image from the brand's library: reuse any image uploaded before (search by name), or
// add one by dropping a file on the field or choosing it. Uploads are kept per brand, so an
// image uploaded for one tile is in the library of every other tile.
import { clear, h } from "../dom.js";
import { emit, gettext } from "../state.js";
import { say } from "./common.js";
import { focalPicker, replaceEverywhere } from "./image_tools.js";
import { provide } from "./index.js";

const notes = new Map(); // upload messages by field id: they outlive a redraw of the panel
const ACCEPT = ["image/jpeg", "image/png", "image/webp"];

function assetName(asset) {
  return asset.original_name || say("Image %(id)s", { id: asset.id });
}

provide("image", ({ field, value, onChange, ctx }) => {
  const id = ctx.id;
  const current = ctx.assets.get(value);
  const status = h("p", { class: "upload-status", role: "status", id: `${id}-status` });
  const note = notes.get(id);
  if (note) { status.textContent = note.text; status.classList.toggle("field-error", Boolean(note.error)); }

  // Uploads into the brand's library; the new asset, or null (the reason is noted).
  async function store(file) {
    if (!file) return null;
    if (!ACCEPT.includes(file.type)) {
      notes.set(id, { text: gettext("Use a JPEG, PNG or WebP image."), error: true });
      ctx.refresh();
      return null;
    }
    const form = new FormData();
    form.append("file", file);
    notes.set(id, { text: gettext("Uploading…") });
    status.textContent = gettext("Uploading…");
    try {
      const asset = await ctx.api.upload(`stores/${ctx.storeId}/assets/`, form);
      ctx.assets.set(asset.id, asset);
      notes.set(id, { text: gettext("Uploaded.") });
      return asset;
    } catch (error) {
      notes.set(id, { text: error.message, error: true });
      ctx.refresh();
      return null;
    }
  }

  async function upload(file) {
    const asset = await store(file);
    if (!asset) return;
    onChange(asset.id);
    ctx.refresh();
  }

  const file = h("input", { type: "file", id, accept: ACCEPT.join(","), class: "sr-only",
    onchange: () => upload(file.files && file.files[0]) });
  const zone = h("div", { class: "drop-zone", dataset: { field: field.name } },
    current ? h("img", { src: current.url, alt: "", class: "upload-thumb" }) : null,
    h("span", { class: "drop-text" }, current
      ? say("%(name)s, %(width)s × %(height)s", { name: assetName(current), width: current.width, height: current.height })
      : gettext("No image yet.")),
    h("label", { for: id, class: "btn btn-small" }, current ? gettext("Upload another") : gettext("Upload an image")),
    file,
    h("span", { class: "hint" }, gettext("or drop a JPEG, PNG or WebP file here")));
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("is-over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("is-over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("is-over");
    const dropped = event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files[0];
    upload(dropped);
  });

  // The library: every image of the brand, newest first, filtered by name.
  const grid = h("ul", { class: "library", "aria-label": gettext("Image library") });
  const search = h("input", { type: "search", id: `${id}-search`, placeholder: gettext("Search by file name") });
  const drawLibrary = () => {
    const q = search.value.trim().toLowerCase();
    clear(grid);
    const all = Array.from(ctx.assets.values()).sort((a, b) => b.id - a.id)
      .filter((asset) => !q || assetName(asset).toLowerCase().includes(q));
    for (const asset of all.slice(0, 60)) {
      const chosen = asset.id === value;
      grid.append(h("li", {}, h("button", { type: "button", class: `library-item${chosen ? " is-chosen" : ""}`,
        "aria-pressed": chosen ? "true" : "false", dataset: { asset: asset.id },
        "aria-label": say("Use %(name)s (%(width)s × %(height)s)", { name: assetName(asset), width: asset.width, height: asset.height }),
        onclick: () => { onChange(asset.id); ctx.refresh(); } },
      h("img", { src: asset.url, alt: "", loading: "lazy" }))));
    }
    if (!all.length) grid.append(h("li", { class: "muted small" }, q ? gettext("No image with this name.") : gettext("No image uploaded yet.")));
  };
  search.addEventListener("input", drawLibrary);
  drawLibrary();
  const library = h("details", { class: "library-box", open: !current && ctx.assets.size > 0 },
    h("summary", {}, say("Choose from your images (%(count)s)", { count: ctx.assets.size })),
    h("label", { for: `${id}-search`, class: "sr-only" }, gettext("Search your images")), search, grid);

  // Once an image is chosen: its focal point, and replacing it in every tile that uses it.
  const tools = current && !ctx.readOnly ? [
    focalPicker({ asset: current, ctx: { ...ctx, onAssetChanged: () => emit("asset-changed") }, id }),
    replaceEverywhere({ asset: current, ctx, id, upload: store }),
  ] : [];

  return h("div", { class: "widget image-widget" },
    h("span", { class: "label", id: `${id}-label` }, field.label), zone, status, ...tools, library,
    value && !field.required ? h("button", { type: "button", class: "link-btn", onclick: () => { onChange(null); ctx.refresh(); } },
      gettext("Remove the image")) : null);
});
