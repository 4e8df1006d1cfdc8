// The page tree (a drawer on phones): choose a page, arrange the tree, add a page from a
// template. Title, address, duplicate and delete are in the page's settings (panels.js).
import { childrenOf, depthOf, findPage, heightOf, MAX_DEPTH, newKey, uniqueSlug } from "./document.js";
import { clear, h, iconButton, slugify } from "./dom.js";
import { commit, selectPage } from "./edits.js";
import {
  $, api, canEdit, currentPage, emit, gettext, interpolate, state, storeId,
} from "./state.js";

function say(format, values) {
  return interpolate(gettext(format), values, true);
}

export function renderPageTree() {
  const tree = clear($("page-tree"));
  const build = (parentKey, depth, container) => {
    const kids = childrenOf(state.doc, parentKey);
    kids.forEach((page, i) => {
      const prev = kids[i - 1];
      const canIndent = page.parent && prev && depthOf(state.doc, prev) + heightOf(state.doc, page) <= MAX_DEPTH;
      const canOutdent = depth > 2;
      const problems = state.errors.some((e) => e.page === page.key) || state.incomplete.some((e) => e.page === page.key);
      const selected = page.key === state.pageKey;
      const title = page.title || gettext("(untitled)");
      const li = h("li", { class: `page-node${selected ? " is-selected" : ""}`, dataset: { page: page.key } },
        h("div", { class: "page-row" },
          h("button", { type: "button", class: "page-link", "aria-current": selected ? "page" : null,
            onclick: () => { selectPage(page.key); emit("drawers", { close: true }); } },
          title, problems ? h("span", { class: "error-dot", title: gettext("Has something to finish") }, "!") : null)),
        canEdit && page.parent && selected ? h("div", { class: "page-tools", role: "group", "aria-label": say("Arrange page %(title)s", { title }) },
          iconButton("↑", say("Move page %(title)s up", { title }), () => swapPages(page, prev), { disabled: !prev, cls: "move-up" }),
          iconButton("↓", say("Move page %(title)s down", { title }), () => swapPages(page, kids[i + 1]), { disabled: !kids[i + 1], cls: "move-down" }),
          iconButton("→", say("Nest page %(title)s under the page above", { title }), () => reparent(page, prev.key), { disabled: !canIndent, cls: "nest" }),
          iconButton("←", say("Move page %(title)s one level up", { title }), () => outdent(page), { disabled: !canOutdent, cls: "unnest" })) : null);
      const ul = h("ul");
      build(page.key, depth + 1, ul);
      if (ul.children.length) li.append(ul);
      container.append(li);
    });
  };
  build(null, 1, tree);
  const parent = clear($("add-page-parent"));
  for (const page of state.doc.pages) {
    const depth = depthOf(state.doc, page);
    if (depth < MAX_DEPTH) parent.append(h("option", { value: page.key }, `${"— ".repeat(depth - 1)}${page.title || page.key}`));
  }
  const current = currentPage();
  const home = state.doc.pages.find((p) => !p.parent);
  parent.value = depthOf(state.doc, current) < MAX_DEPTH ? current.key : home.key;
}

function swapPages(page, other) {
  if (!other) return;
  const pages = state.doc.pages;
  const a = pages.indexOf(page);
  const b = pages.indexOf(other);
  [pages[a], pages[b]] = [pages[b], pages[a]];
  commit({ announce: say("Page %(title)s moved", { title: page.title }) });
}

function reparent(page, parentKey) {
  const pages = state.doc.pages;
  pages.splice(pages.indexOf(page), 1);
  page.parent = parentKey;
  page.slug = uniqueSlug(state.doc, parentKey, page.slug);
  pages.push(page);
  commit({ announce: say("Page %(title)s nested", { title: page.title }) });
}

function outdent(page) {
  const parent = findPage(state.doc, page.parent);
  if (!parent || !parent.parent) return;
  const pages = state.doc.pages;
  pages.splice(pages.indexOf(page), 1);
  page.parent = parent.parent;
  page.slug = uniqueSlug(state.doc, page.parent, page.slug);
  pages.splice(pages.indexOf(parent) + 1, 0, page);
  commit({ announce: say("Page %(title)s moved one level up", { title: page.title }) });
}

export async function addPage(event) {
  event.preventDefault();
  const form = event.target;
  const title = form.title.value.trim();
  const parentKey = form.parent.value;
  const parent = findPage(state.doc, parentKey);
  if (!title || !parent) return;
  if (depthOf(state.doc, parent) >= MAX_DEPTH) {
    state.notice = { kind: "error", text: gettext("Pages nest at most 3 levels deep.") };
    emit("banners");
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const pageKey = newKey(state.doc, "p");
    const page = await api.post(`stores/${storeId}/page-from-template/`, {
      template: form.template.value, page_key: pageKey, parent: parentKey,
      slug: uniqueSlug(state.doc, parentKey, slugify(title) || "page"), title,
    });
    state.doc.pages.push(page);
    state.pageKey = page.key;
    state.tileKey = null;
    state.sectionKey = null;
    form.title.value = "";
    state.notice = null;
    commit({ announce: say("Page %(title)s added", { title: page.title }) });
    emit("drawers", { close: true });
  } catch (error) {
    state.notice = { kind: "error", text: say("The page was not added: %(reason)s", { reason: error.message }) };
    emit("banners");
  } finally {
    button.disabled = !canEdit;
  }
}
