// Times, durations and statuses as people read them.

const UNITS = [
  ["year", 365 * 86400], ["month", 30 * 86400], ["week", 7 * 86400], ["day", 86400],
  ["hour", 3600], ["minute", 60], ["second", 1],
];

export function parseDate(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

// "3 minutes ago", "in 2 hours", "just now".
export function relTime(iso, now = Date.now()) {
  const d = parseDate(iso);
  if (!d) return "never";
  const diff = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return "just now";
  for (const [name, secs] of UNITS) {
    if (abs >= secs) {
      const n = Math.floor(abs / secs);
      const word = `${n} ${name}${n === 1 ? "" : "s"}`;
      return diff < 0 ? `${word} ago` : `in ${word}`;
    }
  }
  return "just now";
}

// Local absolute time: "2024-05-01 14:03:22".
export function absTime(iso) {
  const d = parseDate(iso);
  if (!d) return "";
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// A duration in seconds (float) as "850 ms", "12.4 s", "3 min 20 s", "2 h 5 min".
export function duration(secs) {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return "";
  if (secs < 1) return `${Math.round(secs * 1000)} ms`;
  if (secs < 60) return `${Number(secs.toFixed(secs < 10 ? 2 : 1))} s`;
  const s = Math.round(secs);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
  return `${Math.floor(s / 86400)} d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ""}`;
}

// Whole seconds as the largest exact unit: 3600 -> "1 hour", 90 -> "90 seconds".
export function period(secs) {
  for (const [name, n] of [["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (secs >= n && secs % n === 0) return `${secs / n} ${name}${secs / n === 1 ? "" : "s"}`;
  }
  return `${secs} second${secs === 1 ? "" : "s"}`;
}

// Status: symbol (shape), label (words), class (colour).
export const STATUS = {
  up: { icon: "●", label: "Up", cls: "st-up" },
  grace: { icon: "▲", label: "Late", cls: "st-grace" },
  down: { icon: "✖", label: "Down", cls: "st-down" },
  paused: { icon: "❚❚", label: "Paused", cls: "st-paused" },
  new: { icon: "○", label: "New", cls: "st-new" },
  started: { icon: "▶", label: "Running", cls: "st-up" },
};

export function statusOf(check) {
  return STATUS[check.status] || { icon: "?", label: check.status || "unknown", cls: "st-new" };
}

export function percent(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const p = x * 100;
  if (p === 100) return "100%";
  if (p >= 99.99) return "99.99%";
  return `${p.toFixed(p >= 10 ? 2 : 1)}%`;
}

export function tagsOf(check) {
  return (check.tags || "").split(/\s+/).filter(Boolean);
}

export function checkId(check) {
  return check.uuid || check.unique_key;
}

export const PING_KINDS = {
  success: { label: "Success", cls: "st-up", icon: "●" },
  start: { label: "Started", cls: "st-new", icon: "▶" },
  fail: { label: "Failure", cls: "st-down", icon: "✖" },
  log: { label: "Log", cls: "st-paused", icon: "≡" },
  ign: { label: "Ignored", cls: "st-paused", icon: "–" },
};

// "Mon 2024-05-06 03:00" in the given IANA zone (the browser's own when the zone is unknown).
export function zonedTime(iso, tz) {
  const d = parseDate(iso);
  if (!d) return "";
  let parts;
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz || undefined, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(d);
  } catch {
    return absTime(iso);
  }
  const get = (t) => (parts.find((x) => x.type === t) || {}).value || "";
  return `${get("weekday")} ${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

// A check's last_duration: whole seconds, where 0 means under a second.
export function wholeSeconds(secs) {
  if (secs === null || secs === undefined) return "";
  return secs < 1 ? "< 1 s" : duration(secs);
}
