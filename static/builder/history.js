// Undo and redo over whole-document snapshots. Each step remembers the document before it
// and the page that was being edited, so undo brings the user back to where the change
// was. Typing in one field makes one step, not one per key (steps within COALESCE_MS of
// each other with the same `coalesce` key are merged).
const LIMIT = 200;
const COALESCE_MS = 1200;

let past = [];
let future = [];
let current = null; // the document now, as JSON
let last = { key: null, at: 0 };

export function resetHistory(doc) {
  past = [];
  future = [];
  current = JSON.stringify(doc);
  last = { key: null, at: 0 };
}

// After a change to `doc`: the state before it becomes an undo step.
export function record(doc, { pageKey, coalesce = null } = {}) {
  const now = Date.now();
  const json = JSON.stringify(doc);
  if (json === current) return false;
  const merge = coalesce && last.key === coalesce && now - last.at < COALESCE_MS && past.length;
  if (!merge) {
    past.push({ json: current, pageKey });
    if (past.length > LIMIT) past.shift();
  }
  future = [];
  current = json;
  last = { key: coalesce, at: now };
  return true;
}

// The server's normal form replaces ours without being an edit of the user's.
export function adopt(doc) {
  current = JSON.stringify(doc);
}

export function undo() {
  const step = past.pop();
  if (!step) return null;
  future.push({ json: current, pageKey: step.pageKey });
  current = step.json;
  last = { key: null, at: 0 };
  return { doc: JSON.parse(step.json), pageKey: step.pageKey };
}

export function redo() {
  const step = future.pop();
  if (!step) return null;
  past.push({ json: current, pageKey: step.pageKey });
  current = step.json;
  last = { key: null, at: 0 };
  return { doc: JSON.parse(step.json), pageKey: step.pageKey };
}

export const canUndo = () => past.length > 0;
export const canRedo = () => future.length > 0;
