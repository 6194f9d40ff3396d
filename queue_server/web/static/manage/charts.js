// Charts on /manage: pure builders of Apache ECharts options (tested with node), and draw(),
// which hands them to the self-hosted ECharts (/static/vendor/echarts/echarts.min.js, SVG renderer).

export const FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif";
export const PALETTE = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7ea4", "#e16f24", "#6e7781"];
const INK = "#24292f";
const MUTED = "#57606a";

export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

const missing = (v) => v === null || v === undefined;

function base(opts) {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT, fontSize: 14, color: INK },
    aria: { enabled: true, label: { description: opts.label || "" } },
  };
}

/** Return an option that shows only a centred message (a range with no data). */
export function emptyOption(text = "本区间暂无数据", label = "") {
  return { ...base({ label }), title: { text, left: "center", top: "middle",
    textStyle: { color: "#6e7781", fontSize: 16, fontWeight: "normal", fontFamily: FONT } } };
}

/**
 * Vertical bars with an optional line on a second axis.
 * items: [{label, value, line?, note?, color?}]; opts: {color, lineColor, valueFormat, lineFormat, hasLine, label,
 * emptyText, barName, lineName}
 */
export function barOption(items, opts = {}) {
  const valueFormat = opts.valueFormat || ((v) => String(v));
  const lineFormat = opts.lineFormat || ((v) => String(v));
  if (!items.length || items.every((i) => !i.value && missing(i.line))) return emptyOption(opts.emptyText, opts.label);
  const color = opts.color || PALETTE[0];
  const lineColor = opts.lineColor || PALETTE[3];
  const notes = items.some((i) => i.note);
  const option = {
    ...base(opts),
    grid: { left: 56, right: opts.hasLine ? 64 : 16, top: 30, bottom: notes ? 52 : 32 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: items.map((i) => i.label), axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, color: INK, fontSize: 13, formatter: (v, idx) => (items[idx] && items[idx].note ? `${v}\n{note|${items[idx].note}}` : v),
        rich: { note: { color: MUTED, fontSize: 12, padding: [4, 0, 0, 0] } } } },
    yAxis: [{ type: "value", minInterval: 1, axisLabel: { formatter: (v) => valueFormat(v), color: MUTED } }],
    series: [{ type: "bar", name: opts.barName || opts.label || "", barMaxWidth: 56,
      data: items.map((i) => ({ value: i.value || 0, itemStyle: { color: i.color || color, borderRadius: [2, 2, 0, 0] } })),
      label: { show: true, position: "top", color: INK, fontSize: 12, formatter: (p) => (p.value ? valueFormat(p.value) : "") } }],
  };
  if (opts.hasLine) {
    option.yAxis.push({ type: "value", alignTicks: true, splitLine: { show: false }, axisLabel: { formatter: (v) => lineFormat(v), color: lineColor } });
    option.series.push({ type: "line", name: opts.lineName || "", yAxisIndex: 1, connectNulls: false, symbolSize: 7,
      data: items.map((i) => (missing(i.line) ? null : i.line)), itemStyle: { color: lineColor }, lineStyle: { width: 2.5, color: lineColor },
      tooltip: { valueFormatter: (v) => (missing(v) ? "—" : lineFormat(v)) } });
  }
  return option;
}

/** Bars of a count per month with a percentage line (0–100 %) on the right axis: barOption with a fixed share axis. */
export function monthOption(items, opts = {}) {
  const pct = (v) => (missing(v) ? "—" : `${Number(v).toFixed(Number(v) % 1 ? 1 : 0)}%`);
  const option = barOption(items, { ...opts, hasLine: true, lineFormat: pct, lineColor: opts.lineColor || PALETTE[1] });
  if (!option.yAxis) return option;
  Object.assign(option.yAxis[1], { min: 0, max: 100, interval: 25, alignTicks: false });
  const line = option.series[1];
  Object.assign(line, { symbolSize: 10, labelLayout: { hideOverlap: true },
    label: { show: true, position: "top", color: line.itemStyle.color, fontWeight: "bold", backgroundColor: "#fff",
      padding: [2, 4], borderRadius: 3, formatter: (p) => pct(p.value) } });
  option.series[0].labelLayout = { hideOverlap: true };
  return option;
}

/** Return the option with every text at least `size` px (axis labels, value labels, titles): for older readers. */
export function larger(option, size = 16) {
  const up = (o) => { if (o) o.fontSize = Math.max(o.fontSize || 0, size); };
  const all = (v) => (Array.isArray(v) ? v : v ? [v] : []);
  up(option.textStyle);
  if (option.title) up(option.title.textStyle);
  for (const axis of [...all(option.xAxis), ...all(option.yAxis)]) up(axis.axisLabel);
  for (const s of all(option.series)) up(s.label);
  return option;
}

/** Return the pixel height a horizontal bar chart of n rows needs. */
export function hbarHeight(n, row = 34) {
  return Math.max(120, n * row + 24);
}

/** Horizontal bars, labels on the left (cut to opts.maxLabel characters), a value text on the right. items: [{label, value, text?, color?}] */
export function hbarOption(items, opts = {}) {
  if (!items.length || items.every((i) => !i.value)) return emptyOption(opts.emptyText, opts.label);
  const cut = (s) => (opts.maxLabel && s.length > opts.maxLabel ? s.slice(0, opts.maxLabel - 1) + "…" : s);
  return {
    ...base(opts),
    grid: { left: opts.left || 150, right: opts.right || 130, top: 8, bottom: 8 },
    tooltip: { trigger: "item", formatter: (p) => `${esc(items[p.dataIndex].label)}<br>${esc(items[p.dataIndex].text ?? p.value)}` },
    xAxis: { type: "value", show: false, max: (v) => v.max || 1 },
    yAxis: { type: "category", inverse: true, data: items.map((i) => i.label), axisTick: { show: false },
      axisLine: { show: false }, axisLabel: { color: INK, fontSize: 14, formatter: cut } },
    series: [{ type: "bar", barMaxWidth: 22, data: items.map((i) => ({ value: i.value || 0, itemStyle: { color: i.color || opts.color || PALETTE[0], borderRadius: 2 } })),
      label: { show: true, position: "right", color: INK, fontSize: 13, formatter: (p) => String(items[p.dataIndex].text ?? p.value) } }],
  };
}

/** A ring of shares with the count and share beside each slice. items: [{label, value, color?}]; opts.paren: brackets around the share. */
export function shareOption(items, opts = {}) {
  const total = items.reduce((a, i) => a + (i.value || 0), 0);
  if (!total) return emptyOption(opts.emptyText, opts.label);
  const [po, pc] = opts.paren || ["（", "）"];
  const pct = (v) => ((100 * v) / total).toFixed(1);
  return {
    ...base(opts),
    tooltip: { trigger: "item", formatter: (p) => `${esc(p.name)}${esc(opts.sep || "：")}${p.value}${po}${pct(p.value)}%${pc}` },
    series: [{ type: "pie", radius: ["38%", "66%"], center: ["50%", "52%"], avoidLabelOverlap: true,
      data: items.filter((i) => i.value).map((i, k) => ({ name: i.label, value: i.value, itemStyle: { color: i.color || PALETTE[k % PALETTE.length] } })),
      label: { fontSize: 14, color: INK, formatter: (p) => `${p.name} ${p.value}${po}${pct(p.value)}%${pc}` },
      labelLine: { length: 12, length2: 10 } }],
  };
}

const observed = new WeakSet();
let resizer = null;

/** Draw an option into an element with the page's ECharts (SVG renderer), replacing what was there. */
export function draw(el, option, height) {
  const echarts = globalThis.echarts;
  if (!el || !echarts) return null;
  if (height) el.style.height = `${height}px`;
  let chart = echarts.getInstanceByDom(el);
  if (!chart) chart = echarts.init(el, null, { renderer: "svg" });
  if (height) chart.resize();
  chart.setOption(option, true);
  if (!observed.has(el) && typeof ResizeObserver === "function") {
    resizer = resizer || new ResizeObserver((entries) => {
      for (const e of entries) { const c = echarts.getInstanceByDom(e.target); if (c) c.resize(); }
    });
    resizer.observe(el);
    observed.add(el);
  }
  return chart;
}
