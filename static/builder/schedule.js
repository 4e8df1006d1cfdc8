// Seasonal versions: an approved version gets a window (start, optional end) during which
// shoppers see it instead of the live version. Times are entered and shown in the user's
// own time zone (named beside the fields) and sent to the server in UTC; the server refuses
// a start in the past and a window that overlaps another version's.
import { h } from "./dom.js";
import { api, gettext, interpolate, root, storeId } from "./state.js";

// fill(gettext("…%(name)s…"), values): gettext stays visible to makemessages.
function fill(format, values) {
  return interpolate(format, values, true);
}

export const TIME_ZONE = root.dataset.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

// Milliseconds the zone's wall clock is ahead of UTC at `date`.
function zoneOffset(date, zone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(date);
  const v = Object.fromEntries(parts.map((p) => [p.type, Number(p.value)]));
  return Date.UTC(v.year, v.month - 1, v.day, v.hour % 24, v.minute, v.second) - date.getTime();
}

// "2026-12-01T09:00" on the wall clock of `zone` -> the UTC ISO moment.
export function wallToUtc(local, zone = TIME_ZONE) {
  const naive = new Date(`${local}:00Z`);
  if (Number.isNaN(naive.getTime())) return null;
  let moment = new Date(naive.getTime() - zoneOffset(naive, zone));
  const again = zoneOffset(moment, zone); // across a daylight-saving change
  moment = new Date(naive.getTime() - again);
  return moment.toISOString();
}

// A UTC ISO moment -> "2026-12-01T09:00" on the wall clock of `zone` (for the inputs).
export function utcToWall(iso, zone = TIME_ZONE) {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() + zoneOffset(date, zone)).toISOString().slice(0, 16);
}

export function inZone(iso) {
  return iso ? new Date(iso).toLocaleString(document.documentElement.lang || undefined,
    { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE }) : "";
}

export function windowText(version) {
  if (!version.schedule_starts_at) return "";
  return version.schedule_ends_at
    ? fill(gettext("Scheduled: live from %(start)s to %(end)s (%(zone)s)"), {
      start: inZone(version.schedule_starts_at), end: inZone(version.schedule_ends_at), zone: TIME_ZONE })
    : fill(gettext("Scheduled: live from %(start)s, with no end (%(zone)s)"), {
      start: inZone(version.schedule_starts_at), zone: TIME_ZONE });
}

// The "Schedule…" part of one approved version in the version history.
export function scheduleBox(version, onDone) {
  const id = `schedule-${version.id}`;
  const start = h("input", { type: "datetime-local", id: `${id}-start`, required: true,
    value: utcToWall(version.schedule_starts_at), min: utcToWall(new Date().toISOString()) });
  const end = h("input", { type: "datetime-local", id: `${id}-end`, value: utcToWall(version.schedule_ends_at) });
  const status = h("p", { class: "small", role: "status" });
  const form = h("form", { class: "schedule-form", dataset: { version: version.number },
    onsubmit: async (event) => {
      event.preventDefault();
      const startsAt = wallToUtc(start.value);
      const endsAt = end.value ? wallToUtc(end.value) : null;
      if (!startsAt) { status.textContent = gettext("Give a start."); return; }
      try {
        await api.post(`stores/${storeId}/versions/${version.id}/schedule/`, { starts_at: startsAt, ends_at: endsAt });
        onDone(fill(gettext("Version %(number)s scheduled."), { number: version.number }));
      } catch (error) {
        status.textContent = fill(gettext("Not scheduled: %(reason)s"), { reason: error.message });
        status.classList.add("field-error");
      }
    } },
  h("div", { class: "schedule-fields" },
    h("label", { for: start.id }, gettext("Live from"), start),
    h("label", { for: end.id }, gettext("Until (optional)"), end)),
  h("p", { class: "muted small" }, fill(gettext("Times in your time zone: %(zone)s. During this window shoppers see this version instead of the live one."), { zone: TIME_ZONE })),
  h("div", { class: "schedule-actions" },
    h("button", { type: "submit", class: "btn btn-small btn-primary" }, fill(gettext("Schedule version %(number)s"), { number: version.number })),
    version.schedule_starts_at ? h("button", { type: "button", class: "btn btn-small",
      onclick: async () => {
        try {
          await api.del(`stores/${storeId}/versions/${version.id}/schedule/`);
          onDone(fill(gettext("The schedule of version %(number)s is cancelled."), { number: version.number }));
        } catch (error) {
          status.textContent = error.message;
          status.classList.add("field-error");
        }
      } }, gettext("Cancel the schedule")) : null),
  status);
  const box = h("details", { class: "schedule-box",
    // Opened: the form comes into view (a phone shows little of the list) with the start.
    ontoggle: () => {
      if (!box.open) return;
      form.scrollIntoView({ block: "nearest" });
      start.focus({ preventScroll: true });
    } },
  h("summary", { class: "btn btn-small schedule-version" }, gettext("Schedule…")), form);
  return box;
}
