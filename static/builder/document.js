// Pure helpers over the Store document: pages tree, sections, tiles, keys.

export const MAX_DEPTH = 3;

export function allKeys(doc) {
  const keys = new Set();
  for (const page of doc.pages || []) {
    keys.add(page.key);
    for (const section of page.sections || []) {
      keys.add(section.key);
      for (const tile of section.tiles || []) keys.add(tile.key);
    }
  }
  return keys;
}

export function newKey(doc, prefix) {
  const keys = allKeys(doc);
  for (;;) {
    const key = prefix + Math.random().toString(36).slice(2, 8);
    if (!keys.has(key)) return key;
  }
}

export function findPage(doc, key) {
  return (doc.pages || []).find((page) => page.key === key) || null;
}

export function childrenOf(doc, parentKey) {
  return (doc.pages || []).filter((page) => (page.parent ?? null) === parentKey);
}

export function depthOf(doc, page) {
  let depth = 1;
  let current = page;
  const seen = new Set();
  while (current && current.parent && !seen.has(current.key)) {
    seen.add(current.key);
    current = findPage(doc, current.parent);
    depth += 1;
  }
  return depth;
}

export function heightOf(doc, page) {
  const kids = childrenOf(doc, page.key);
  return 1 + (kids.length ? Math.max(...kids.map((kid) => heightOf(doc, kid))) : 0);
}

export function descendants(doc, page) {
  const out = [];
  for (const kid of childrenOf(doc, page.key)) out.push(kid, ...descendants(doc, kid));
  return out;
}

export function uniqueSlug(doc, parentKey, base, exceptKey = null) {
  const taken = new Set(
    childrenOf(doc, parentKey).filter((p) => p.key !== exceptKey).map((p) => p.slug),
  );
  let slug = base || "page";
  let n = 2;
  while (taken.has(slug)) slug = `${base || "page"}-${n++}`;
  return slug;
}

export function locateTile(doc, tileKey) {
  for (const page of doc.pages || []) {
    for (const section of page.sections || []) {
      const index = (section.tiles || []).findIndex((tile) => tile.key === tileKey);
      if (index >= 0) return { page, section, index, tile: section.tiles[index] };
    }
  }
  return null;
}

export function locateSection(doc, sectionKey) {
  for (const page of doc.pages || []) {
    const index = (page.sections || []).findIndex((s) => s.key === sectionKey);
    if (index >= 0) return { page, section: page.sections[index], index };
  }
  return null;
}

export function move(list, from, to) {
  const [item] = list.splice(from, 1);
  list.splice(Math.max(0, Math.min(to, list.length)), 0, item);
}

export function clone(value) {
  return JSON.parse(JSON.stringify(value));
}
