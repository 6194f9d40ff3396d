// @ts-check
// Charts on /manage: pure builders of Apache ECharts options (tested with node), and chart(),
// which hands them to the self-hosted ECharts (/static/vendor/echarts/echarts.min.js, SVG renderer).
// Tooltips are ECharts' own, which escape the names they show: the builders return no HTML.

/**
 * What the builders' callers say about one bar, slice or row.
 * @typedef {object} Item
 * @property {string} label
 * @property {number | null | undefined} value
 * @property {number | null} [line] a second value, drawn as a line on the right axis
 * @property {string} [note] a second line under the axis label
 * @property {string} [text] what a horizontal bar says beside it (and in its tooltip)
 * @property {string} [color]
 */

/**
 * @typedef {object} ChartOptions
 * @property {string} [label] the chart's description, for screen readers
 * @property {string} [emptyText]
 * @property {string} [color]
 * @property {string} [lineColor]
 * @property {(v: number) => string} [valueFormat]
 * @property {(v: number) => string} [lineFormat]
 * @property {boolean} [hasLine]
 * @property {string} [barName]
 * @property {string} [lineName]
 * @property {number} [left]
 * @property {number} [right]
 * @property {number} [maxLabel]
 * @property {[string, string]} [paren] the brackets around a share
 */

/** An ECharts option as these builders make it. @typedef {Record<string, any>} Option */

export const FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif";
export const PALETTE = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7ea4", "#e16f24", "#6e7781"];
const INK = "#24292f";
const MUTED = "#57606a";

/** @param {unknown} v */
const missing = (v) => v === null || v === undefined;

/**
 * @param {ChartOptions} opts
 * @returns {Option}
 */
function base(opts) {
  return {
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: FONT, fontSize: 14, color: INK },
    aria: { enabled: true, label: { description: opts.label || "" } },
  };
}

/**
 * Return an option that shows only a centred message (a range with no data).
 * @param {string} [text]
 * @param {string} [label]
 * @returns {Option}
 */
export function emptyOption(text = "本区间暂无数据", label = "") {
  return { ...base({ label }), title: { text, left: "center", top: "middle",
    textStyle: { color: "#6e7781", fontSize: 16, fontWeight: "normal", fontFamily: FONT } } };
}

/**
 * Vertical bars with an optional line on a second axis.
 * @param {Item[]} items
 * @param {ChartOptions} [opts]
 * @returns {Option}
 */
export function barOption(items, opts = {}) {
  const valueFormat = opts.valueFormat || ((v) => String(v));
  const lineFormat = opts.lineFormat || ((v) => String(v));
  if (!items.length || items.every((i) => !i.value && missing(i.line))) return emptyOption(opts.emptyText, opts.label);
  const color = opts.color || PALETTE[0];
  const lineColor = opts.lineColor || PALETTE[3];
  const notes = items.some((i) => i.note);
  /** @type {Option} */
  const option = {
    ...base(opts),
    grid: { left: 56, right: opts.hasLine ? 64 : 16, top: 30, bottom: notes ? 52 : 32 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: items.map((i) => i.label), axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, color: INK, fontSize: 13, formatter: (/** @type {string} */ v, /** @type {number} */ idx) => (items[idx] && items[idx].note ? `${v}\n{note|${items[idx].note}}` : v),
        rich: { note: { color: MUTED, fontSize: 12, padding: [4, 0, 0, 0] } } } },
    yAxis: [{ type: "value", minInterval: 1, axisLabel: { formatter: (/** @type {number} */ v) => valueFormat(v), color: MUTED } }],
    series: [{ type: "bar", name: opts.barName || opts.label || "", barMaxWidth: 56,
      data: items.map((i) => ({ value: i.value || 0, itemStyle: { color: i.color || color, borderRadius: [2, 2, 0, 0] } })),
      label: { show: true, position: "top", color: INK, fontSize: 12, formatter: (/** @type {{ value: number }} */ p) => (p.value ? valueFormat(p.value) : "") } }],
  };
  if (opts.hasLine) {
    option.yAxis.push({ type: "value", alignTicks: true, splitLine: { show: false }, axisLabel: { formatter: (/** @type {number} */ v) => lineFormat(v), color: lineColor } });
    option.series.push({ type: "line", name: opts.lineName || "", yAxisIndex: 1, connectNulls: false, symbolSize: 7,
      data: items.map((i) => (missing(i.line) ? null : i.line)), itemStyle: { color: lineColor }, lineStyle: { width: 2.5, color: lineColor },
      tooltip: { valueFormatter: (/** @type {number | null} */ v) => (v === null || v === undefined ? "—" : lineFormat(v)) } });
  }
  return option;
}

/**
 * Bars of a count per month with a percentage line (0–100 %) on the right axis: barOption with a fixed share axis.
 * @param {Item[]} items
 * @param {ChartOptions} [opts]
 * @returns {Option}
 */
export function monthOption(items, opts = {}) {
  /** @param {number | null | undefined} v */
  const pct = (v) => (missing(v) ? "—" : `${Number(v).toFixed(Number(v) % 1 ? 1 : 0)}%`);
  const option = barOption(items, { ...opts, hasLine: true, lineFormat: pct, lineColor: opts.lineColor || PALETTE[1] });
  if (!option.yAxis) return option;
  Object.assign(option.yAxis[1], { min: 0, max: 100, interval: 25, alignTicks: false });
  const line = option.series[1];
  Object.assign(line, { symbolSize: 10, labelLayout: { hideOverlap: true },
    label: { show: true, position: "top", color: line.itemStyle.color, fontWeight: "bold", backgroundColor: "#fff",
      padding: [2, 4], borderRadius: 3, formatter: (/** @type {{ value: number | null }} */ p) => pct(p.value) } });
  option.series[0].labelLayout = { hideOverlap: true };
  return option;
}

/**
 * Return the option with every text at least `size` px (axis labels, value labels, titles): for older readers.
 * @param {Option} option
 * @param {number} [size]
 * @returns {Option}
 */
export function larger(option, size = 16) {
  /** @param {{ fontSize?: number } | undefined} o */
  const up = (o) => { if (o) o.fontSize = Math.max(o.fontSize || 0, size); };
  /** @param {unknown} v @returns {any[]} */
  const all = (v) => (Array.isArray(v) ? v : v ? [v] : []);
  up(option.textStyle);
  if (option.title) up(option.title.textStyle);
  for (const axis of [...all(option.xAxis), ...all(option.yAxis)]) up(axis.axisLabel);
  for (const s of all(option.series)) up(s.label);
  return option;
}

/**
 * Return the pixel height a horizontal bar chart of n rows needs.
 * @param {number} n
 * @param {number} [row]
 */
export function hbarHeight(n, row = 34) {
  return Math.max(120, n * row + 24);
}

/**
 * Horizontal bars, labels on the left (cut to opts.maxLabel characters), a value text on the right.
 * The tooltip shows the whole label and the bar's text.
 * @param {Item[]} items
 * @param {ChartOptions} [opts]
 * @returns {Option}
 */
export function hbarOption(items, opts = {}) {
  if (!items.length || items.every((i) => !i.value)) return emptyOption(opts.emptyText, opts.label);
  const maxLabel = opts.maxLabel || 0;
  /** @param {string} s */
  const cut = (s) => (maxLabel && s.length > maxLabel ? s.slice(0, maxLabel - 1) + "…" : s);
  return {
    ...base(opts),
    grid: { left: opts.left || 150, right: opts.right || 130, top: 8, bottom: 8 },
    tooltip: { trigger: "item", valueFormatter: (/** @type {number} */ v, /** @type {number} */ i) => String(items[i] ? items[i].text ?? v : v) },
    xAxis: { type: "value", show: false, max: (/** @type {{ max: number }} */ v) => v.max || 1 },
    yAxis: { type: "category", inverse: true, data: items.map((i) => i.label), axisTick: { show: false },
      axisLine: { show: false }, axisLabel: { color: INK, fontSize: 14, formatter: cut } },
    series: [{ type: "bar", barMaxWidth: 22, data: items.map((i) => ({ value: i.value || 0, itemStyle: { color: i.color || opts.color || PALETTE[0], borderRadius: 2 } })),
      label: { show: true, position: "right", color: INK, fontSize: 13, formatter: (/** @type {{ dataIndex: number, value: number }} */ p) => String(items[p.dataIndex].text ?? p.value) } }],
  };
}

/**
 * A ring of shares with the count and share beside each slice; opts.paren: brackets around the share.
 * @param {Item[]} items
 * @param {ChartOptions} [opts]
 * @returns {Option}
 */
export function shareOption(items, opts = {}) {
  const total = items.reduce((a, i) => a + (i.value || 0), 0);
  if (!total) return emptyOption(opts.emptyText, opts.label);
  const [po, pc] = opts.paren || ["（", "）"];
  /** @param {number} v */
  const pct = (v) => ((100 * v) / total).toFixed(1);
  return {
    ...base(opts),
    tooltip: { trigger: "item", valueFormatter: (/** @type {number} */ v) => `${v}${po}${pct(v)}%${pc}` },
    series: [{ type: "pie", radius: ["38%", "66%"], center: ["50%", "52%"], avoidLabelOverlap: true,
      data: items.filter((i) => i.value).map((i, k) => ({ name: i.label, value: i.value, itemStyle: { color: i.color || PALETTE[k % PALETTE.length] } })),
      label: { fontSize: 14, color: INK, formatter: (/** @type {{ name: string, value: number }} */ p) => `${p.name} ${p.value}${po}${pct(p.value)}%${pc}` },
      labelLine: { length: 12, length2: 10 } }],
  };
}

/**
 * Two bars per label, what is needed against what there was, with an optional line on a right axis (staffing advice).
 * @param {{ label: string, needed: number, open: number, arrivals?: number }[]} items
 * @param {ChartOptions & { neededName?: string, openName?: string, arrivalsName?: string }} [opts]
 * @returns {Option}
 */
export function pairOption(items, opts = {}) {
  if (!items.length || items.every((i) => !i.needed && !i.open && !i.arrivals)) return emptyOption(opts.emptyText, opts.label);
  const line = items.some((i) => i.arrivals !== undefined);
  /** @param {number} v */
  const one = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(1));
  /** @type {Option} */
  const option = {
    ...base(opts),
    legend: { top: 0, itemGap: 24, textStyle: { fontSize: 15, color: INK } },
    grid: { left: 48, right: line ? 56 : 16, top: 44, bottom: 32 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (/** @type {number} */ v) => one(v) },
    xAxis: { type: "category", data: items.map((i) => i.label), axisTick: { alignWithLabel: true },
      axisLabel: { interval: 0, color: INK, fontSize: 14 } },
    yAxis: [{ type: "value", minInterval: 1, axisLabel: { color: MUTED, fontSize: 14 } }],
    series: [
      { type: "bar", name: opts.neededName || "", barGap: "10%", barMaxWidth: 34, data: items.map((i) => i.needed),
        itemStyle: { color: PALETTE[0], borderRadius: [2, 2, 0, 0] },
        label: { show: true, position: "top", color: INK, fontSize: 13, fontWeight: "bold" } },
      { type: "bar", name: opts.openName || "", barMaxWidth: 34, data: items.map((i) => i.open),
        itemStyle: { color: "#8c959f", borderRadius: [2, 2, 0, 0] },
        label: { show: true, position: "top", color: MUTED, fontSize: 13, formatter: (/** @type {{ value: number }} */ p) => one(p.value) } },
    ],
  };
  if (line) {
    option.yAxis.push({ type: "value", splitLine: { show: false }, axisLabel: { color: PALETTE[2], fontSize: 14 } });
    option.series.push({ type: "line", name: opts.arrivalsName || "", yAxisIndex: 1, symbolSize: 6,
      data: items.map((i) => (i.arrivals === undefined ? null : i.arrivals)),
      itemStyle: { color: PALETTE[2] }, lineStyle: { width: 2, type: "dashed", color: PALETTE[2] } });
  }
  return option;
}

/** @type {WeakSet<Element>} */
const observed = new WeakSet();
/** @type {ResizeObserver | null} */
let resizer = null;

/**
 * Draw an option into an element with the page's ECharts (SVG renderer), replacing what was there.
 * @param {HTMLElement | null} el
 * @param {Option} option
 * @param {number} [height]
 */
export function chart(el, option, height) {
  const echarts = globalThis.echarts;
  if (!el || !echarts) return null;
  if (height) el.style.height = `${height}px`;
  let instance = echarts.getInstanceByDom(el);
  if (!instance) instance = echarts.init(el, null, { renderer: "svg" });
  if (height) instance.resize();
  instance.setOption(option, true);
  if (!observed.has(el) && typeof ResizeObserver === "function") {
    resizer = resizer || new ResizeObserver((entries) => {
      for (const e of entries) { const c = echarts.getInstanceByDom(e.target); if (c) c.resize(); }
    });
    resizer.observe(el);
    observed.add(el);
  }
  return instance;
}
