// The user's own time zone (their preferences, as the server renders times; the browser's
// when none is set) and moments converted to and from its wall clock, for every date and
// time the builder shows or reads.
const chosen = (document.getElementById("editor") || { dataset: {} }).dataset.timeZone
  || (document.querySelector('meta[name="sf-time-zone"]') || {}).content;

export const TIME_ZONE = chosen || Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

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

