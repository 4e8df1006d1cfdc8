// The text tile's editor: a contenteditable area with a small toolbar (paragraph, headings,
// bold, italic, lists, link, clear formatting) and an optional HTML view, so brand owners
// write formatted text without knowing HTML. Whatever it writes — typed, pasted or dropped —
// is first reduced to the allow-list of stores/tiles/text.py; the server still sanitises
// every save and stays the judge of what is kept.
import { clear, h } from "./dom.js";
import { gettext, interpolate } from "./i18n.js";

// What stores/tiles/text.py adds to every link: writing it too means a saved text comes back
// from the server unchanged, so the editor is not rebuilt under the caret.
const LINK_REL = "noopener noreferrer nofollow ugc";
// Dropped with everything inside them: code, embeds, form controls, media, document parts.
const DROP = new Set(["script", "style", "iframe", "object", "embed", "input", "button", "textarea",
  "select", "option", "link", "meta", "base", "frame", "frameset", "svg", "math", "template",
  "noscript", "head", "title", "img", "picture", "video", "audio", "canvas", "map", "area"]);
// Allowed elements, and what the near misses become.
const RENAME = {
  p: "p", br: "br", strong: "strong", b: "strong", em: "em", i: "em", u: "u", a: "a",
  h1: "h2", h2: "h2", h3: "h3", h4: "h4", h5: "h4", h6: "h4",
  ul: "ul", ol: "ol", li: "li", blockquote: "blockquote",
};
// Boxes around text (Word, Google Docs, web pages): a paragraph unless they hold blocks.
const CONTAINERS = new Set(["div", "section", "article", "header", "footer", "main", "aside", "nav",
  "figure", "figcaption", "address", "pre", "tr", "dt", "dd", "center"]);
const BLOCKS = new Set(["p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote"]);
// Elements that become (or hold) blocks once cleaned.
const BLOCK_SELECTOR = [...Object.keys(RENAME).filter((tag) => BLOCKS.has(RENAME[tag])), ...CONTAINERS].join(", ");
const TEXT_BLOCKS = new Set(["p", "h2", "h3", "h4"]);
const INLINE = new Set(["strong", "em", "u", "a"]);
// Counted as one character by caret positions (a caret survives a rebuild of the area).
const BREAKS = new Set(["P", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "BLOCKQUOTE", "UL", "OL", "DIV"]);
const SVG = "http://www.w3.org/2000/svg";
const QUIET_STYLE = "data-pasted-style";
const ICONS = {
  ul: ["M9 6h11M9 12h11M9 18h11", "M4.5 6h.01M4.5 12h.01M4.5 18h.01"],
  ol: ["M10 6h10M10 12h10M10 18h10", "M4 4.5h1.2v4.5M3.6 9h3", "M3.6 14.6a1.3 1.3 0 0 1 2.6.3c0 1.2-2.6 2-2.6 3.3h2.7"],
  link: ["M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"],
  clear: ["M5 5h11M10.5 5 7.5 19", "M14.5 14.5l5 5M19.5 14.5l-5 5"],
};
// Toolbar groups (a label for screen readers, then the buttons).
const TOOLS = [
  [gettext("Paragraph style"), [
    { name: "p", label: gettext("Paragraph"), text: "¶" },
    { name: "h2", label: `${gettext("Heading")} H2`, text: "H2" },
    { name: "h3", label: `${gettext("Subheading")} H3`, text: "H3" }]],
  [gettext("Emphasis"), [
    { name: "bold", label: gettext("Bold"), text: "B", keys: "Control+B Meta+B", hint: "Ctrl+B" },
    { name: "italic", label: gettext("Italic"), text: "I", keys: "Control+I Meta+I", hint: "Ctrl+I" }]],
  [gettext("Lists"), [
    { name: "ul", label: gettext("Bulleted list"), icon: "ul" },
    { name: "ol", label: gettext("Numbered list"), icon: "ol" }]],
  [gettext("Link and clean-up"), [
    { name: "link", label: gettext("Link"), icon: "link", keys: "Control+K Meta+K", hint: "Ctrl+K" },
    // An action, not a state: no aria-pressed.
    { name: "clear", label: gettext("Clear formatting"), icon: "clear", action: true }]],
  [gettext("View"), [{ name: "html", label: gettext("Edit as HTML"), text: "HTML" }]],
];
// Links stay inside the marketplace (the content policy refuses others when saving).
const LINK_PROMPT = gettext("Link address: a page of this Store (/stores/…) or a product's page (/dp/…).\nLeave empty to remove the link.");
const LINK_REFUSED = gettext("Links go to a page of this Store (/stores/…) or a product's page (/dp/…); links to other sites are not allowed.");

// Which text fields show their HTML source (by field id): it outlives a rebuild of the panel.
const sourceMode = new Set();

// --- The allow-list, client side ------------------------------------------------------

// An http(s) or relative address as typed, or null (javascript:, mailto:, data: …).
export function safeHref(raw) {
  const href = String(raw || "").trim();
  if (!href) return null;
  let url;
  try { url = new URL(href, "https://relative.invalid/"); } catch (error) { return null; }
  return url.protocol === "http:" || url.protocol === "https:" ? href : null;
}

function styleOf(node) {
  const style = node.getAttribute(QUIET_STYLE) || node.getAttribute("style") || "";
  return style.toLowerCase().replace(/\s+/g, "");
}

// Emphasis also hides in styles: Google Docs writes bold as <span style="font-weight:700">
// and wraps everything in <b style="font-weight:normal">; Chrome's own editing writes bold
// italic typed at a caret as <b style="font-style: italic">. Read as tags, styles dropped.
function namesFor(node, name) {
  const style = styleOf(node);
  if (!style) return name ? [name] : [];
  // (^|;): Word's bold is <b style="mso-bidi-font-weight:normal">, bold all the same.
  const weight = (/(?:^|;)font-weight:([a-z0-9]+)/.exec(style) || [])[1];
  const slant = (/(?:^|;)font-style:([a-z]+)/.exec(style) || [])[1];
  let own = name;
  if (own === "strong" && /^(normal|lighter|[1-4]00)$/.test(weight || "")) own = null;
  if (own === "em" && slant === "normal") own = null;
  const names = own ? [own] : [];
  if (own !== "strong" && /^(bold|bolder|[6-9]00)$/.test(weight || "")) names.push("strong");
  if (own !== "em" && (slant === "italic" || slant === "oblique")) names.push("em");
  return names;
}

function hasBlockInside(node) {
  return Boolean(node.querySelector(BLOCK_SELECTOR));
}

// While typing, Chrome keeps a space next to a tag as &nbsp; (so that it cannot collapse);
// stored as a plain space, the line may wrap there. An &nbsp; between two letters stays.
function relaxSpaces(node) {
  let text = node.data;
  if (node.previousSibling && /^\u00a0\S/.test(text)) text = ` ${text.slice(1)}`;
  if (node.nextSibling && /\S\u00a0$/.test(text)) text = `${text.slice(0, -1)} `;
  return text;
}

function cleanChildren(source, target, paste) {
  for (const child of Array.from(source.childNodes)) cleanNode(child, target, paste);
}

function cleanNode(node, target, paste) {
  const into = target.localName;
  if (node.nodeType === Node.TEXT_NODE) {
    // Whitespace between list items is markup, not text.
    if ((into === "ul" || into === "ol") && !node.data.trim()) return;
    target.append(document.createTextNode(paste ? node.data : relaxSpaces(node)));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return; // comments, Word's conditionals
  const tag = node.localName.toLowerCase();
  if (DROP.has(tag)) return;
  let name = RENAME[tag] || null;
  if (!name && CONTAINERS.has(tag)) name = hasBlockInside(node) ? null : "p";
  let names = namesFor(node, name);
  names = names.filter((n) => {
    if (n === "a" && !safeHref(node.getAttribute("href"))) return false;
    // Emphasis around whole paragraphs, paragraphs in paragraphs or list items: unwrapped.
    if (INLINE.has(n) && hasBlockInside(node)) return false;
    if (TEXT_BLOCKS.has(n) && (TEXT_BLOCKS.has(into) || INLINE.has(into))) return false;
    if (n === "p" && into === "li") return false;
    return true;
  });
  if (names[0] === "li" && into !== "ul" && into !== "ol") names = ["p"];
  if (TEXT_BLOCKS.has(names[0]) && hasBlockInside(node)) {
    // A paragraph around a list (Chrome makes those) is invalid HTML: its pieces become
    // siblings, as an HTML parser such as the server's would make them anyway.
    const box = document.createElement("div");
    cleanChildren(node, box, paste);
    wrapLoose(box, names[0]);
    target.append(...box.childNodes);
    return;
  }
  if (!names.length) {
    cleanChildren(node, target, paste);
    return;
  }
  const outer = document.createElement(names[0]);
  let inner = outer;
  for (const extra of names.slice(1)) inner = inner.appendChild(document.createElement(extra));
  if (names[0] === "a") {
    // Attribute order as the server writes it: href and title as given, then rel.
    for (const attr of Array.from(node.attributes)) {
      if (attr.name === "href") outer.setAttribute("href", safeHref(attr.value));
      else if (attr.name === "title" && !paste) outer.setAttribute("title", attr.value);
    }
    outer.setAttribute("rel", LINK_REL);
  }
  cleanChildren(node, inner, paste);
  // Empty emphasis and links are noise; an empty paragraph is a blank line the user made.
  if (INLINE.has(names[0]) && !outer.textContent) return;
  target.append(outer);
}

// Text and inline elements between blocks become paragraphs (or `tag`); blank runs go.
function wrapLoose(box, tag = "p") {
  let run = [];
  const flush = (before) => {
    if (run.some((n) => n.nodeType === Node.ELEMENT_NODE ? n.localName !== "br" : n.data.trim())) {
      const p = document.createElement(tag);
      box.insertBefore(p, before);
      run.forEach((n) => p.append(n));
    } else run.forEach((n) => n.remove());
    run = [];
  };
  for (const child of Array.from(box.childNodes)) {
    if (child.nodeType === Node.ELEMENT_NODE && BLOCKS.has(child.localName)) flush(child);
    else run.push(child);
  }
  flush(null);
}

function parse(html) {
  // Style and event-handler attributes are renamed first: the page's CSP would report each
  // one as a violation, though nothing here ever applies or runs them.
  const quiet = String(html || "").replace(/<[^>]*>/g,
    (tag) => tag.replace(/(\s)(style|on[a-z]+)(\s*=)/gi, "$1data-pasted-$2$3"));
  // An inert document: nothing in it runs or loads.
  return new DOMParser().parseFromString(quiet, "text/html").body;
}

// Line breaks of the source between blocks are layout, not text (&nbsp; is text).
function dropBlankBetweenBlocks(box) {
  for (const el of [box, ...box.querySelectorAll("*")]) {
    if (!Array.from(el.children).some((child) => BLOCKS.has(child.localName))) continue;
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE && /^[ \t\n\r\f]*$/.test(child.data)) child.remove();
    }
  }
}

// The allow-listed copy of `source` (a node, or an HTML string), as a detached <div>.
function cleaned(source, { paste = false } = {}) {
  const box = document.createElement("div");
  cleanChildren(typeof source === "string" ? parse(source) : source, box, paste);
  dropBlankBetweenBlocks(box);
  if (!paste) wrapLoose(box);
  return box;
}

// The HTML the editor stores: allow-listed, with nothing but blank lines counting as empty.
export function serialise(area) {
  if (!area.textContent.trim()) return "";
  return cleaned(area).innerHTML.trim();
}

// --- Caret positions that survive a rebuild --------------------------------------------

// The caret as [start, end] counted in characters, one more for each block and line break.
export function caretOffsets(root) {
  const sel = window.getSelection();
  if (!sel || !sel.rangeCount) return null;
  const range = sel.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  return [positionOf(root, range.startContainer, range.startOffset),
    positionOf(root, range.endContainer, range.endOffset)];
}

// Whether `node` counts as a break. A paragraph wrapped around a list (as Chrome makes them)
// does not: it is gone once the text is stored and shown again.
function isBreak(node) {
  if (node.nodeName === "BR") return true;
  if (!BREAKS.has(node.nodeName)) return false;
  return !(/^(P|H\d)$/.test(node.nodeName) && Array.from(node.children).some((child) => BREAKS.has(child.nodeName)));
}

function positionOf(root, container, offset) {
  const point = document.createRange();
  point.setStart(container, offset);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  let pos = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (node === container) return pos + offset;
      if (point.comparePoint(node, 0) >= 0) return pos;
      pos += node.data.length;
    } else if (isBreak(node)) {
      const where = point.comparePoint(node, 0);
      if (where > 0) return pos;
      pos += 1;
      if (where === 0) return pos;
    }
  }
  return pos;
}

export function restoreCaret(root, offsets) {
  if (!offsets) return;
  const [start, end] = offsets.map((target) => pointAt(root, target));
  const range = document.createRange();
  range.setStart(...start);
  range.setEnd(...end);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

function pointAt(root, target) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  let pos = 0;
  let fallback = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (pos + node.data.length >= target) return [node, Math.max(0, target - pos)];
      pos += node.data.length;
    } else if (isBreak(node)) {
      const index = Array.prototype.indexOf.call(node.parentNode.childNodes, node);
      if (pos + 1 > target) return fallback || (node.nodeName === "BR" ? [node.parentNode, index] : [node, 0]);
      pos += 1;
      // Just inside an empty block, or just after a line break.
      if (pos === target) fallback = node.nodeName === "BR" ? [node.parentNode, index + 1] : [node, 0];
    }
  }
  return fallback || [root, root.childNodes.length];
}

// --- The editor -----------------------------------------------------------------------

function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const d of ICONS[name]) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

function closestIn(area, node, test) {
  for (let n = node; n && n !== area; n = n.parentNode) {
    if (n.nodeType === Node.ELEMENT_NODE && test(n.localName)) return n;
  }
  return null;
}

/**
 * A rich-text field: label, toolbar, editable area, HTML view and hint. `onChange` gets the
 * allow-listed HTML after every edit (or the raw HTML typed in the HTML view: the server
 * answers that with errors shown next to the field, as for any field).
 */
export function richTextField({ id, label, value, onChange, readOnly = false, invalid = false,
  hint = "", placeholder = gettext("Write your text here…") }) {
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  const sourceId = `${id}-source`;
  let current = value || "";
  let savedRange = null;
  let internalDrag = false;
  const buttons = new Map();

  const area = h("div", {
    id, class: "rte-area", contenteditable: readOnly ? "false" : "true", role: "textbox",
    "aria-multiline": "true", "aria-labelledby": labelId, "aria-describedby": hint ? hintId : null,
    "aria-readonly": readOnly ? "true" : null, "aria-invalid": invalid ? "true" : null,
    spellcheck: "true", dataset: { placeholder },
  });
  const source = h("textarea", { id: sourceId, class: "rte-source", rows: 8, spellcheck: "false",
    "aria-invalid": invalid ? "true" : null, "aria-describedby": hint ? hintId : null,
    oninput: () => { current = source.value; onChange(current); } });
  const sourceLabel = h("label", { for: sourceId, class: "sr-only" }, `${label} (HTML)`);
  const note = h("p", { class: "rte-note", role: "status", "aria-live": "polite" });
  const toolbar = h("div", { class: "rte-toolbar", role: "toolbar", "aria-label": interpolate(gettext("%(label)s: formatting"), { label }),
    "aria-controls": id });

  for (const [groupLabel, tools] of TOOLS) {
    const group = h("span", { class: "rte-group", role: "group", "aria-label": groupLabel });
    for (const tool of tools) {
      const button = h("button", {
        type: "button", class: `rte-btn rte-${tool.name}`, "aria-label": tool.label,
        "aria-pressed": tool.action ? null : "false", "aria-keyshortcuts": tool.keys || null,
        title: tool.hint ? `${tool.label} (${tool.hint})` : tool.label, tabindex: "-1", dataset: { tool: tool.name },
        // Keeps the focus, and so the selection, in the text while the mouse is down.
        onmousedown: (event) => event.preventDefault(),
        onclick: () => run(tool.name),
      }, tool.icon ? icon(tool.icon) : h("span", { "aria-hidden": "true" }, tool.text));
      buttons.set(tool.name, button);
      group.append(button);
    }
    toolbar.append(group);
  }
  buttons.get("p").tabIndex = 0;
  // One tab stop for the whole toolbar; arrow keys move along it (the ARIA toolbar pattern).
  toolbar.addEventListener("keydown", (event) => {
    const list = Array.from(buttons.values()).filter((b) => !b.disabled);
    const at = list.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: list.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = list[(to + list.length) % list.length];
    list.forEach((b) => { b.tabIndex = b === next ? 0 : -1; });
    next.focus();
  });

  const box = h("div", { class: "rte" }, toolbar, area, sourceLabel, source, note);

  // --- state of the toolbar

  function selectionInArea() {
    const sel = window.getSelection();
    return sel && sel.rangeCount && area.contains(sel.anchorNode) ? sel : null;
  }

  function blockTag(node) {
    const block = closestIn(area, node, (tag) => /^(p|h[1-6]|li|blockquote|div)$/.test(tag));
    return block ? block.localName : "p";
  }

  function refreshToolbar() {
    const html = sourceMode.has(id);
    for (const [name, button] of buttons) button.disabled = readOnly || (html && name !== "html");
    buttons.get("html").setAttribute("aria-pressed", String(html));
    const focusable = Array.from(buttons.values());
    if (!focusable.some((b) => b.tabIndex === 0 && !b.disabled)) {
      const first = focusable.find((b) => !b.disabled) || focusable[0];
      focusable.forEach((b) => { b.tabIndex = b === first ? 0 : -1; });
    }
    if (html) {
      // The HTML view has no caret in formatted text: no format is "on".
      for (const [name, button] of buttons) if (name !== "html" && button.hasAttribute("aria-pressed")) button.setAttribute("aria-pressed", "false");
      return;
    }
    const sel = selectionInArea();
    const anchor = sel ? sel.anchorNode : (savedRange ? savedRange.startContainer : null);
    if (!anchor || !area.contains(anchor)) return;
    const block = blockTag(anchor);
    const list = closestIn(area, anchor, (tag) => tag === "ul" || tag === "ol");
    // The browser knows best (what the selection looks like, what typing at the caret will
    // give after Ctrl+B) but in headings it reports the heading's own weight: there, and
    // with the focus elsewhere, the markup around tells.
    const state = (command, tags) => (sel && !/^h\d$/.test(block)
      ? document.queryCommandState(command)
      : Boolean(closestIn(area, anchor, (tag) => tags.includes(tag))));
    const pressed = {
      p: block === "p" && !list, h2: block === "h2", h3: block === "h3",
      bold: state("bold", ["strong", "b"]), italic: state("italic", ["em", "i"]),
      ul: Boolean(list && list.localName === "ul"), ol: Boolean(list && list.localName === "ol"),
      link: Boolean(closestIn(area, anchor, (tag) => tag === "a")),
    };
    for (const [name, on] of Object.entries(pressed)) buttons.get(name).setAttribute("aria-pressed", String(on));
  }

  function rememberSelection() {
    if (!area.isConnected) {
      document.removeEventListener("selectionchange", rememberSelection);
      return;
    }
    const sel = selectionInArea();
    if (sel) {
      savedRange = sel.getRangeAt(0).cloneRange();
      refreshToolbar();
    }
  }
  document.addEventListener("selectionchange", rememberSelection);

  function restoreSelection() {
    // Typing or a shortcut: the live selection is the truth (selectionchange comes later).
    if (document.activeElement === area && selectionInArea()) return;
    area.focus({ preventScroll: true });
    if (savedRange && area.contains(savedRange.startContainer)) {
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(savedRange);
    }
  }

  // --- writing

  function emit() {
    area.classList.toggle("is-empty", !area.textContent.trim() && !area.querySelector("li"));
    const html = serialise(area);
    if (html !== current) {
      current = html;
      onChange(html);
    }
    refreshToolbar();
  }

  function exec(command, argument = null) {
    document.execCommand(command, false, argument);
  }

  function insertClean(html, text) {
    let clean = "";
    const rich = html ? cleaned(html, { paste: true }) : null;
    // Rich text with nothing left to show (an image, say) falls back to its plain text.
    if (rich && rich.textContent.trim()) clean = rich.innerHTML.trim();
    else if (text && /\n/.test(text)) {
      // Plain lines: blank lines part paragraphs, single line ends become line breaks.
      const holder = document.createElement("div");
      for (const block of text.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
        const para = block.replace(/^\n+|\n+$/g, "");
        if (!para.trim()) continue;
        const p = document.createElement("p");
        para.split("\n").forEach((line, i) => { if (i) p.append(document.createElement("br")); p.append(line); });
        holder.append(p);
      }
      clean = holder.innerHTML;
    } else if (text) {
      exec("insertText", text);
    }
    if (clean) exec("insertHTML", clean);
    emit();
  }

  function setNote(text) {
    note.textContent = text || "";
  }

  function editLink() {
    const sel = window.getSelection();
    const link = closestIn(area, sel.anchorNode, (tag) => tag === "a");
    if (link) {
      // The whole link is edited, wherever the caret was in it.
      const range = document.createRange();
      range.selectNodeContents(link);
      sel.removeAllRanges();
      sel.addRange(range);
    }
    const range = sel.rangeCount ? sel.getRangeAt(0).cloneRange() : null;
    const answer = window.prompt(LINK_PROMPT, link ? link.getAttribute("href") : "");
    area.focus({ preventScroll: true });
    if (range) { sel.removeAllRanges(); sel.addRange(range); }
    if (answer === null) return;
    const typed = answer.trim();
    if (!typed) {
      if (link) exec("unlink");
      return;
    }
    const href = safeHref(typed);
    if (!href || /^www\./i.test(typed) || new URL(href, window.location.origin).origin !== window.location.origin) {
      setNote(LINK_REFUSED);
      return;
    }
    if (range && !range.collapsed) exec("createLink", href);
    else {
      const a = h("a", { href }, href);
      exec("insertHTML", a.outerHTML);
    }
  }

  function run(name) {
    if (name === "html") { toggleSource(); return; }
    if (readOnly || sourceMode.has(id)) return;
    setNote("");
    restoreSelection();
    const sel = window.getSelection();
    const anchor = sel.rangeCount ? sel.anchorNode : area;
    const block = blockTag(anchor);
    const list = closestIn(area, anchor, (tag) => tag === "ul" || tag === "ol");
    switch (name) {
      case "p":
        if (list) exec(list.localName === "ul" ? "insertUnorderedList" : "insertOrderedList");
        else exec("formatBlock", "p");
        break;
      case "h2": case "h3":
        exec("formatBlock", block === name ? "p" : name);
        break;
      case "bold": case "italic":
        exec(name);
        break;
      case "ul": exec("insertUnorderedList"); break;
      case "ol": exec("insertOrderedList"); break;
      case "link": editLink(); break;
      case "clear":
        exec("removeFormat");
        if (/^h\d$/.test(block)) exec("formatBlock", "p");
        break;
      default: return;
    }
    emit();
  }

  function load(html) {
    clear(area);
    area.append(...cleaned(html).childNodes);
    // Typing into an empty editor starts a paragraph, not loose text.
    if (!area.firstChild) area.append(h("p", {}, h("br")));
    area.classList.toggle("is-empty", !area.textContent.trim() && !area.querySelector("li"));
  }

  function toggleSource() {
    if (sourceMode.has(id)) {
      sourceMode.delete(id);
      load(current);
      // What the editor cannot show (a refused or unknown tag) is dropped now, visibly.
      emit();
      showMode();
      area.focus();
    } else {
      sourceMode.add(id);
      source.value = current;
      showMode();
      source.focus();
    }
  }

  function showMode() {
    const html = sourceMode.has(id);
    area.hidden = html;
    source.hidden = !html;
    box.classList.toggle("is-source", html);
    refreshToolbar();
  }

  // --- events

  // The DOM is left as the browser made it (a list inside a paragraph, bare spans: its undo
  // history depends on that); what is stored is the allow-listed serialisation.
  area.addEventListener("input", emit);
  area.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const name = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
    if (!name) return;
    event.preventDefault();
    run(name);
  });
  area.addEventListener("paste", (event) => {
    if (!event.clipboardData) return;
    event.preventDefault();
    insertClean(event.clipboardData.getData("text/html"), event.clipboardData.getData("text/plain"));
  });
  area.addEventListener("dragstart", () => { internalDrag = true; });
  area.addEventListener("dragend", () => { internalDrag = false; });
  area.addEventListener("drop", (event) => {
    // Moving text inside the editor is the browser's job; drops from
    // elsewhere go through the allow-list, files are refused.
    if (internalDrag) return;
    event.preventDefault();
    const data = event.dataTransfer;
    const html = data ? data.getData("text/html") : "";
    const text = data ? data.getData("text/plain") : "";
    if (!html && !text) return;
    const at = document.caretRangeFromPoint ? document.caretRangeFromPoint(event.clientX, event.clientY) : null;
    area.focus({ preventScroll: true });
    if (at && area.contains(at.startContainer)) {
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(at);
    }
    insertClean(html, text);
  });
  area.addEventListener("focus", () => {
    // New paragraphs are <p>, as the server expects (some browsers default to <div>).
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (error) { /* old browser */ }
  });
  area.addEventListener("keyup", refreshToolbar);
  area.addEventListener("mouseup", refreshToolbar);

  load(current);
  if (sourceMode.has(id)) source.value = current;
  showMode();

  return [
    h("label", { id: labelId, class: "rte-label", onclick: () => (sourceMode.has(id) ? source : area).focus() }, label),
    box,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
  ];
}
