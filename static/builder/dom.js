// Tiny DOM helpers: build elements without HTML strings (and without inline styles).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "text") el.textContent = value;
    else if (key === "value") el.value = value;
    else if (key === "checked") el.checked = Boolean(value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function iconButton(symbol, label, onClick, { disabled = false, cls = "" } = {}) {
  return h(
    "button",
    { type: "button", class: `icon-btn ${cls}`.trim(), "aria-label": label, title: label,
      disabled, onclick: onClick },
    symbol instanceof Node ? symbol : h("span", { "aria-hidden": "true" }, symbol),
  );
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function slugify(text) {
  return String(text || "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

// Symbols some fonts lack are drawn: "copy" (two overlapping squares).
const SVG = "http://www.w3.org/2000/svg";
export function copyIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon-svg");
  svg.setAttribute("aria-hidden", "true");
  for (const [x, y] of [[8, 8], [3, 3]]) {
    const rect = document.createElementNS(SVG, "rect");
    Object.entries({ x, y, width: 13, height: 13, rx: 2 }).forEach(([k, v]) => rect.setAttribute(k, String(v)));
    svg.append(rect);
  }
  return svg;
}
