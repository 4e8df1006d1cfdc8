// Where the Store stands and what can be done with the whole draft: banners (conflict,
// review status in plain words, rejection reasons), submit, discard the draft,
// and the version history (see each version, its status and reasons, restore one).
import { rows } from "./api.js";
import { clear, h } from "./dom.js";
import { selectTile } from "./edits.js";
import * as history from "./history.js";
import { acceptSaved, flush, resolveConflict } from "./save.js";
import { locateTile } from "./document.js";
import { scheduleBox, windowText } from "./schedule.js";
import {
  $, api, canEdit, emit, gettext, interpolate, state, storeId, tileLabel,
} from "./state.js";

const WAITING = new Set(["submitted", "checking", "queued", "in_review"]);

function say(format, values) {
  return interpolate(gettext(format), values, true);
}

// Times in the user's chosen time zone (their preferences, as the server renders them),
// with the zone named.
const TIME_ZONE = (document.querySelector('meta[name="sf-time-zone"]') || {}).content || undefined;

function when(iso) {
  if (!iso) return "";
  const options = { day: "numeric", month: "short", year: "numeric", hour: "2-digit",
    minute: "2-digit", timeZoneName: "short" };
  try {
    return new Date(iso).toLocaleString(document.documentElement.lang || undefined,
      { ...options, timeZone: TIME_ZONE });
  } catch (error) {  // a zone this browser does not know: its own, still named
    return new Date(iso).toLocaleString(document.documentElement.lang || undefined, options);
  }
}

function tileName(key) {
  const found = locateTile(state.doc, key);
  return found ? tileLabel(found.tile) : say("A tile no longer in the draft (%(key)s)", { key });
}

export function renderBanners() {
  const box = clear($("banners"));
  if (state.conflict) {
    box.append(h("div", { class: "alert alert-error conflict", role: "alert" },
      h("strong", {}, gettext("This Store was changed somewhere else ")),
      gettext("(another tab or a colleague). Your latest edits are not saved, but they are still here: nothing is lost."),
      h("div", { class: "alert-actions" },
        h("button", { type: "button", class: "btn btn-small btn-primary", id: "conflict-keep",
          onclick: () => resolveConflict(true) }, gettext("Keep my version and save it")),
        h("button", { type: "button", class: "btn btn-small", id: "conflict-reload",
          onclick: () => { if (window.confirm(gettext("Discard your unsaved edits and load the saved version?"))) resolveConflict(false); } },
        gettext("Load the saved version instead")))));
  }
  if (state.notice) box.append(h("div", { class: `alert alert-${state.notice.kind}`, role: "status" }, state.notice.text));
  const stray = state.errors.filter((e) => !e.tile && !e.section && !e.page);
  if (stray.length) {
    box.append(h("div", { class: "alert alert-error", role: "alert" },
      h("strong", {}, gettext("Not saved: ")), stray.map((e) => e.message).join(" ")));
  }
  if (state.rejection) {
    const { submission, reasons } = state.rejection;
    box.append(h("div", { class: "alert alert-warn rejection" },
      h("strong", {}, say("Version %(number)s was not approved. ", { number: submission.version })),
      gettext("Change what the moderator noted, then submit again."),
      h("ul", {}, reasons.map((r) => h("li", {},
        r.tile ? h("button", { type: "button", class: "link-btn", onclick: () => selectTile(r.tile) }, tileName(r.tile)) : gettext("Whole Store"),
        `: ${r.note || r.code}`)))));
  }
  const s = state.submission;
  if (s && WAITING.has(s.status)) {
    box.append(h("div", { class: "alert alert-info", role: "status", id: "submission-info" },
      say("Version %(number)s is waiting for review; the decision is due by %(deadline)s. You can keep editing: what you submitted is a snapshot.",
        { number: s.version, deadline: when(s.sla_deadline) })));
  } else if (s && s.status === "published") {
    box.append(h("div", { class: "alert alert-ok", role: "status", id: "submission-info" },
      say("Version %(number)s was approved on %(date)s and is live. Your edits here stay private until you submit them.",
        { number: s.version, date: when(s.decided_at) })));
  } else if (s && s.status === "scheduled") {
    box.append(h("div", { class: "alert alert-ok", role: "status", id: "submission-info" },
      say("Version %(number)s was approved and goes live on its schedule.", { number: s.version })));
  }
  const badge = $("store-status");
  badge.className = `badge badge-${state.status}`;
  if (state.statusLabel) badge.textContent = state.statusLabel;
}

export async function loadSubmissions() {
  try {
    const list = rows(await api.get(`stores/${storeId}/submissions/`)).sort((a, b) => b.id - a.id);
    state.submissions = list;
    const latest = list.find((s) => s.status !== "superseded");
    state.submission = null;
    state.rejection = null;
    if (!latest) return;
    if (latest.status === "rejected") state.rejection = { submission: latest, reasons: latest.reasons || [] };
    else state.submission = latest;
  } catch (error) { state.submissions = []; }
}

export async function submitStore() {
  const saved = await flush();
  if (!saved || state.conflict) {
    state.notice = { kind: "error", text: gettext("Not submitted: your latest edits are not saved yet (see above).") };
    emit("banners");
    return;
  }
  if (state.submission && WAITING.has(state.submission.status) && !window.confirm(
    say("Version %(number)s is still waiting for review. Submitting replaces it; the new version keeps its place in the queue. Submit?",
      { number: state.submission.version }))) return;
  const button = $("submit-store");
  button.disabled = true;
  try {
    state.submission = await api.post(`stores/${storeId}/submissions/`, {});
    const store = await api.get(`stores/${storeId}/`);
    state.status = store.status;
    state.statusLabel = store.status_label;
    state.rejection = null;
    state.notice = null;
  } catch (error) {
    state.notice = { kind: "error", text: say("Not submitted: %(reason)s", { reason: error.message }) };
    if (state.checks) state.checks.adopt(error.errors);
  } finally {
    button.disabled = !canEdit;
  }
  emit("banners");
}

// A document the server made replaces the draft; the draft before it stays one undo away.
export function takeDocument(saved, message, { keepSelection = false } = {}) {
  acceptSaved(saved);
  history.record(state.doc, { pageKey: state.pageKey });
  if (!state.doc.pages.some((p) => p.key === state.pageKey)) state.pageKey = state.doc.pages[0].key;
  if (!keepSelection || !locateTile(state.doc, state.tileKey || "")) {
    state.tileKey = null;
    state.sectionKey = null;
  }
  emit("replaced", { announce: message, saved: true });
}

export async function discardDraft() {
  if (!window.confirm(gettext("Discard the draft? It goes back to what shoppers see now; your changes since then are removed (Undo brings them back while this page is open)."))) return;
  await flush();
  try {
    const saved = await api.post(`stores/${storeId}/draft/discard/`, { revision: state.revision });
    takeDocument(saved, gettext("Draft discarded: it is the live version again."));
  } catch (error) {
    state.notice = { kind: "error", text: say("Not discarded: %(reason)s", { reason: error.message }) };
    emit("banners");
  }
}

// --- version history ------------------------------------------------------------------------

const SUBMISSION_WORDS = {
  submitted: gettext("Waiting for review"), checking: gettext("Waiting for review"),
  queued: gettext("Waiting for review"), in_review: gettext("Being reviewed"),
  approved: gettext("Approved"), published: gettext("Approved"), scheduled: gettext("Approved, scheduled"),
  rejected: gettext("Not approved"), superseded: gettext("Replaced by a later version"),
};

export async function openVersions() {
  const dialog = $("versions");
  const list = clear($("versions-list"));
  list.append(h("li", { class: "muted" }, gettext("Loading…")));
  if (!dialog.open) dialog.showModal();
  let versions = [];
  try {
    [versions] = await Promise.all([api.get(`stores/${storeId}/versions/`), loadSubmissions()]);
  } catch (error) {
    clear(list).append(h("li", { class: "field-error" }, error.message));
    return;
  }
  const bySubmission = new Map((state.submissions || []).map((s) => [s.version_id, s]));
  clear(list);
  const all = rows(versions);
  if (!all.length) list.append(h("li", { class: "muted" }, gettext("No version yet: a version is made each time you submit.")));
  for (const version of all) {
    const submission = bySubmission.get(version.id);
    const status = version.is_published ? gettext("Live now") : submission ? SUBMISSION_WORDS[submission.status] || submission.status : "";
    list.append(h("li", { class: "version", dataset: { version: version.number } },
      h("div", { class: "version-head" },
        h("strong", {}, say("Version %(number)s", { number: version.number })),
        h("span", { class: "muted" }, ` · ${when(version.created_at)}`),
        status ? h("span", { class: `badge${version.is_published ? " badge-published" : ""}` }, status) : null),
      submission && submission.status === "rejected" && submission.reasons.length
        ? h("ul", { class: "version-reasons" }, submission.reasons.map((r) => h("li", {}, r.note || r.code))) : null,
      version.schedule_starts_at ? h("p", { class: "small schedule-window" }, windowText(version)) : null,
      canEdit ? h("div", { class: "version-actions" },
        h("button", { type: "button", class: "btn btn-small restore-version",
          onclick: () => restoreVersion(version) }, say("Restore version %(number)s into the draft", { number: version.number })),
        version.approved_at && !version.is_published ? scheduleBox(version, (message) => {
          state.notice = { kind: "ok", text: message };
          emit("banners");
          openVersions();
        }) : null) : null));
  }
}

async function restoreVersion(version) {
  if (!window.confirm(say("Replace the draft with version %(number)s? Nothing goes live until you submit it (Undo brings your draft back).",
    { number: version.number }))) return;
  await flush();
  try {
    const saved = await api.post(`stores/${storeId}/versions/${version.id}/restore/`, { revision: state.revision });
    $("versions").close();
    takeDocument(saved, say("Version %(number)s restored into the draft.", { number: version.number }));
  } catch (error) {
    state.notice = { kind: "error", text: say("Not restored: %(reason)s", { reason: error.message }) };
    emit("banners");
  }
}

