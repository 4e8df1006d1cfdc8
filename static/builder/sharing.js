// Share links of the Store: preview addresses the brand gives to colleagues or partners
// (no account needed). The dialog lists them (label, created, expires, status), makes one
// with a label and a lifetime, and revokes one. The builder's own canvas needs no link.
import { rows } from "./api.js";
import { flush } from "./save.js";
import { clear, h } from "./dom.js";
import { $, api, canEdit, gettext, interpolate, state, storeId } from "./state.js";

// fill(gettext("…%(name)s…"), values): gettext stays visible to makemessages.
function fill(format, values) {
  return interpolate(format, values, true);
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || undefined,
    { dateStyle: "medium", timeStyle: "short" }) : "";
}

const STATUS_WORDS = {
  active: gettext("Active"), expired: gettext("Expired"), revoked: gettext("Revoked"),
};

function note(text, error = false) {
  const box = $("share-note");
  box.textContent = text;
  box.classList.toggle("field-error", error);
}

async function drawLinks() {
  const list = clear($("share-list"));
  let links = [];
  try {
    links = rows(await api.get(`stores/${storeId}/previews/`));
  } catch (error) {
    list.append(h("li", { class: "field-error" }, error.message));
    return;
  }
  if (!links.length) list.append(h("li", { class: "muted" }, gettext("No share link yet.")));
  for (const link of links) {
    const label = link.label || gettext("No label");
    list.append(h("li", { class: `share-link is-${link.status}`, dataset: { link: link.id } },
      h("div", { class: "share-link-head" },
        h("strong", {}, label),
        h("span", { class: `badge badge-link-${link.status}` }, STATUS_WORDS[link.status] || link.status)),
      h("p", { class: "muted small" },
        fill(gettext("Made %(created)s · expires %(expires)s"), { created: when(link.created_at), expires: when(link.expires_at) })),
      link.status === "active" ? h("div", { class: "share-row" },
        h("input", { readonly: true, value: link.url, "aria-label": fill(gettext("Address of the link “%(label)s”"), { label }) }),
        canEdit ? h("button", { type: "button", class: "btn btn-small revoke-link",
          onclick: () => revoke(link, label) }, fill(gettext("Revoke “%(label)s”"), { label })) : null) : null));
  }
}

async function revoke(link, label) {
  if (!window.confirm(fill(gettext("Revoke the link “%(label)s”? Whoever has it sees nothing from now on."), { label }))) return;
  try {
    await api.post(`stores/${storeId}/previews/${link.id}/revoke/`, {});
    note(fill(gettext("The link “%(label)s” is revoked."), { label }));
  } catch (error) {
    note(fill(gettext("Not revoked: %(reason)s"), { reason: error.message }), true);
  }
  await drawLinks();
}

async function create(event) {
  event.preventDefault();
  const form = $("share-form");
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  await flush();
  try {
    const link = await api.post(`stores/${storeId}/previews/`, {
      page: state.pageKey, stock_mode: state.stock, purpose: "share",
      label: $("share-label").value.trim(), expires_in_hours: Number($("share-expiry").value),
    });
    $("share-url").value = link.url;
    $("share-made").hidden = false;
    $("copy-share").textContent = gettext("Copy");
    $("share-label").value = "";
    note(fill(gettext("Link made; it works until %(expires)s."), { expires: when(link.expires_at) }));
    $("share-url").select();
    await drawLinks();
  } catch (error) {
    note(fill(gettext("No share link: %(reason)s"), { reason: error.message }), true);
  } finally {
    button.disabled = !canEdit;
  }
}

export function openSharing() {
  const dialog = $("share");
  $("share-made").hidden = true;
  note("");
  if (!dialog.open) dialog.showModal();
  drawLinks();
}

export function setupSharing() {
  $("share-link").addEventListener("click", openSharing);
  $("close-share").addEventListener("click", () => $("share").close());
  $("share-form").addEventListener("submit", create);
  $("copy-share").addEventListener("click", async () => {
    $("share-url").select();
    try { await navigator.clipboard.writeText($("share-url").value); } catch (error) { document.execCommand("copy"); }
    $("copy-share").textContent = gettext("Copied");
  });
  if (!canEdit) $("share-form").querySelectorAll("input, select, button").forEach((el) => { el.disabled = true; });
}
