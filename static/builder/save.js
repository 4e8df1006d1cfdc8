// Autosave. Every edit reaches the server shortly after it is made, whatever state the
// tiles are in: a draft may be incomplete (the server lists what is missing and saves it
// anyway); only a wrong value is refused, and then only until the next edit. Offline or a
// server hiccup: the edits stay here and are sent again, with growing pauses.
import { clone } from "./document.js";
import { api, canEdit, emit, gettext, interpolate, ngettext, $, state, storeId } from "./state.js";

const AUTOSAVE_MS = 350;
const RETRY_MAX_MS = 30_000;

let seq = 0;          // edits made
let savedSeq = 0;     // edits the server has
let refusedSeq = -1;  // edits the server refused (a wrong value): wait for the next edit
let timer = null;
let inflight = null;
let offline = false;
let retryMs = 0;

export const isDirty = () => seq !== savedSeq;

export function markChanged() {
  seq += 1;
  schedule(AUTOSAVE_MS);
  showStatus();
}

function schedule(ms) {
  clearTimeout(timer);
  if (!canEdit || state.conflict) return;
  timer = setTimeout(() => { saveNow(); }, ms);
}

function waiting() {
  return isDirty() && refusedSeq !== seq && !state.conflict && canEdit;
}

export async function saveNow() {
  clearTimeout(timer);
  while (inflight) await inflight;
  if (!waiting()) { showStatus(); return; }
  inflight = doSave();
  try { await inflight; } finally { inflight = null; showStatus(); }
}

// Saves until the server has every edit (or cannot take them now); true when all is saved.
export async function flush() {
  for (let i = 0; i < 5 && waiting() && !offline; i += 1) await saveNow();
  while (inflight) await inflight;
  return !isDirty();
}

async function doSave() {
  const sent = seq;
  const body = { ...clone(state.doc), revision: state.revision };
  showStatus(true);
  try {
    const saved = await api.put(`stores/${storeId}/draft/`, body);
    state.revision = saved.revision;
    state.incomplete = Array.isArray(saved.incomplete) ? saved.incomplete : [];
    state.errors = [];
    savedSeq = Math.max(savedSeq, sent);
    offline = false;
    retryMs = 0;
    if (state.notice && state.notice.fromSave) state.notice = null;
    emit("saved", { upToDate: seq === sent });
    if (seq !== sent) schedule(AUTOSAVE_MS);
  } catch (error) {
    if (error.status === 409) {
      state.conflict = { current: error.errors && error.errors.current_revision };
      emit("banners");
    } else if (error.status === 400) {
      refusedSeq = sent;
      state.errors = normaliseErrors(error);
      emit("problems");
    } else if (error.status === 403) {
      refusedSeq = sent;
      state.notice = { kind: "error", text: interpolate(gettext("Not saved: %(reason)s"), { reason: error.message }, true), fromSave: true };
      emit("banners");
    } else {
      offline = true;
      retryMs = Math.min(RETRY_MAX_MS, retryMs ? retryMs * 2 : 2000);
      schedule(retryMs);
    }
  }
}

function normaliseErrors(error) {
  const errors = error.errors;
  if (Array.isArray(errors)) return errors;
  if (errors && typeof errors === "object") {
    return Object.entries(errors).map(([field, messages]) => ({
      field, message: `${field}: ${[].concat(messages).join(" ")}`,
    }));
  }
  return [{ message: error.message }];
}

export function showStatus(busy = false) {
  const el = $("save-status");
  let text;
  let kind;
  if (state.conflict) {
    text = gettext("Not saved: changed elsewhere"); kind = "is-error";
  } else if (offline && isDirty()) {
    text = gettext("Offline — will retry"); kind = "is-warn";
  } else if (isDirty() && refusedSeq === seq) {
    const n = state.errors.length || 1;
    text = interpolate(ngettext("Not saved: %(n)s value to fix", "Not saved: %(n)s values to fix", n), { n }, true);
    kind = "is-error";
  } else if (busy || inflight || isDirty()) {
    text = gettext("Saving…"); kind = "is-busy";
  } else {
    text = gettext("Saved"); kind = "is-ok";
  }
  if (el.textContent !== text) el.textContent = text;
  el.className = `save-status ${kind}`;
}

// The other tab's or colleague's version wins, or ours is saved over it, on purpose.
export async function resolveConflict(keepMine) {
  const server = await api.get(`stores/${storeId}/draft/`);
  state.revision = server.revision;
  state.conflict = null;
  if (keepMine) {
    refusedSeq = -1;
    savedSeq = -1;
    await saveNow();
  } else {
    delete server.revision;
    state.doc = server;
    savedSeq = seq;
    state.errors = [];
    emit("replaced", { record: false });
  }
  emit("banners");
  showStatus();
}

// A document the server made (discard, restore): it is saved already.
export function acceptSaved(saved) {
  state.revision = saved.revision;
  state.incomplete = Array.isArray(saved.incomplete) ? saved.incomplete : [];
  state.errors = [];
  delete saved.revision;
  delete saved.incomplete;
  state.doc = saved;
  seq += 1;
  savedSeq = seq;
  showStatus();
}

window.addEventListener("online", () => { if (isDirty()) saveNow(); });
window.addEventListener("beforeunload", (event) => {
  if (isDirty() && canEdit) { event.preventDefault(); event.returnValue = ""; }
});
