// Run durations as an inline SVG bar chart, built with DOM calls.
import { h, s } from "./dom.js";
import { absTime, duration } from "./format.js";

export function durationChart(pings, width = 600) {
  const runs = pings.filter((p) => typeof p.duration === "number").slice().reverse();
  if (!runs.length) {
    return h("p", { class: "muted" },
      "No run times yet. Ping /start when the job begins and the plain URL (or /fail) when it ends to measure them.");
  }
  const W = Math.max(280, Math.round(width));
  const H = W < 500 ? 150 : 180;
  const left = 52;
  const bottom = 22;
  const top = 10;
  const max = Math.max(...runs.map((r) => r.duration), 0.001);
  const slot = (W - left - 6) / Math.max(runs.length, 10);
  const bw = Math.max(2, Math.min(28, slot * 0.7));
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const svg = s("svg", {
    viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "chart", role: "img",
    "aria-label": `Run durations of the last ${runs.length} runs; longest ${duration(max)}`,
    preserveAspectRatio: "xMinYMin meet",
  });
  svg.append(
    s("line", { x1: left, x2: W, y1: y(0), y2: y(0), class: "axis" }),
    s("line", { x1: left, x2: W, y1: y(max), y2: y(max), class: "grid" }),
    s("line", { x1: left, x2: W, y1: y(max / 2), y2: y(max / 2), class: "grid" }),
    s("text", { x: left - 6, y: y(max) + 4, class: "tick", "text-anchor": "end" }, duration(max)),
    s("text", { x: left - 6, y: y(max / 2) + 4, class: "tick", "text-anchor": "end" }, duration(max / 2)),
    s("text", { x: left - 6, y: y(0) + 4, class: "tick", "text-anchor": "end" }, "0"),
  );
  runs.forEach((r, i) => {
    const x = left + 4 + i * slot + (slot - bw) / 2;
    const top_ = y(r.duration);
    const bar = s("rect", {
      x: x.toFixed(1), y: top_.toFixed(1), width: bw.toFixed(1),
      height: Math.max(1, y(0) - top_).toFixed(1), class: r.type === "fail" ? "bar bar-fail" : "bar",
    }, s("title", null, `${absTime(r.date)}: ${duration(r.duration)}${r.type === "fail" ? " (failed)" : ""}`));
    svg.append(bar);
  });
  svg.append(
    s("text", { x: left + 4, y: H - 6, class: "tick" }, absTime(runs[0].date)),
    s("text", { x: W - 2, y: H - 6, class: "tick", "text-anchor": "end" }, absTime(runs[runs.length - 1].date)),
  );
  return h("figure", { class: "chartbox" }, svg);
}
