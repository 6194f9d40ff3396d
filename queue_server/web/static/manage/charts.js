// Small self-hosted SVG charts: pure functions that return SVG markup (no CDN, no canvas fonts).

const FONT = "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei','Microsoft YaHei','PingFang SC',sans-serif";
const PALETTE = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7ea4", "#e16f24", "#6e7781"];

export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

/** Return a 'nice' upper bound for an axis: 1, 2 or 5 × 10^k at or above max. */
export function niceMax(max, ticks = 4) {
  if (!(max > 0)) return ticks;
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p * ticks;
  return 10 * p * ticks;
}

function svg(width, height, body, label) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(label)}" font-family="${FONT}" font-size="13">${body}</svg>`;
}

function text(x, y, content, attrs = "") {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(content)}</text>`;
}

function empty(width, height, label, message = "本区间暂无数据") {
  return svg(width, height, text(width / 2, height / 2, message, 'text-anchor="middle" fill="#6e7781" font-size="16"'), label);
}

/**
 * Vertical bars with an optional line on a second axis.
 * items: [{label, value, line?, note?}]; opts: {width, height, color, lineColor, lineFormat, valueFormat, label, emptyText, sep}
 */
export function barChart(items, opts = {}) {
  const { width = 640, height = 260, color = PALETTE[0], lineColor = PALETTE[3], label = "" } = opts;
  const valueFormat = opts.valueFormat || ((v) => String(v));
  const lineFormat = opts.lineFormat || ((v) => String(v));
  if (!items.length || items.every((i) => !i.value && (i.line === null || i.line === undefined))) return empty(width, height, label, opts.emptyText);
  const sep = opts.sep ?? "：";
  const pad = { l: 44, r: opts.hasLine ? 52 : 12, t: 22, b: 40 };
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const max = niceMax(Math.max(...items.map((i) => i.value || 0)));
  const lineVals = items.map((i) => i.line).filter((v) => v !== null && v !== undefined);
  const lmax = niceMax(Math.max(0, ...lineVals));
  const step = w / items.length;
  const bw = Math.max(4, step * 0.62);
  let body = "";
  for (let k = 0; k <= 4; k++) {
    const y = pad.t + h - (h * k) / 4;
    body += `<line x1="${pad.l}" x2="${pad.l + w}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#d0d7de" stroke-width="1"/>`;
    body += text(pad.l - 6, y + 4, valueFormat((max * k) / 4), 'text-anchor="end" fill="#57606a" font-size="11"');
    if (opts.hasLine) body += text(pad.l + w + 6, y + 4, lineFormat((lmax * k) / 4), `fill="${lineColor}" font-size="11"`);
  }
  items.forEach((it, i) => {
    const x = pad.l + step * i + (step - bw) / 2;
    const bh = (h * (it.value || 0)) / max;
    body += `<rect x="${x.toFixed(1)}" y="${(pad.t + h - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${it.color || color}" rx="2"><title>${esc(it.label)}${esc(sep)}${esc(valueFormat(it.value || 0))}${it.note ? " · " + esc(it.note) : ""}</title></rect>`;
    if (it.value && bw >= 18) body += text(x + bw / 2, pad.t + h - bh - 4, valueFormat(it.value), 'text-anchor="middle" fill="#24292f" font-size="11"');
    body += text(pad.l + step * i + step / 2, pad.t + h + 16, it.label, 'text-anchor="middle" fill="#24292f" font-size="12"');
    if (it.note) body += text(pad.l + step * i + step / 2, pad.t + h + 31, it.note, 'text-anchor="middle" fill="#57606a" font-size="11"');
  });
  if (opts.hasLine) {
    const pts = items.map((it, i) => (it.line === null || it.line === undefined ? null
      : [pad.l + step * i + step / 2, pad.t + h - (h * it.line) / lmax]));
    let d = "";
    let pen = false;
    for (const p of pts) {
      if (!p) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${p[0].toFixed(1)},${p[1].toFixed(1)} `;
      pen = true;
    }
    body += `<path d="${d.trim()}" fill="none" stroke="${lineColor}" stroke-width="2.5"/>`;
    for (const p of pts) if (p) body += `<circle cx="${p[0].toFixed(1)}" cy="${p[1].toFixed(1)}" r="3.5" fill="${lineColor}"/>`;
  }
  return svg(width, height, body, label);
}

/** Horizontal bars with a label on the left (cut to opts.maxLabel characters) and a value text on the right. items: [{label, value, text}] */
export function hbarChart(items, opts = {}) {
  const { width = 520, row = 28, color = PALETTE[0], label = "" } = opts;
  const height = Math.max(60, items.length * row + 16);
  if (!items.length || items.every((i) => !i.value)) return empty(width, 120, label, opts.emptyText);
  const left = opts.left || 150;
  const right = opts.right || 130;
  const w = width - left - right;
  const max = Math.max(...items.map((i) => i.value || 0)) || 1;
  let body = "";
  items.forEach((it, i) => {
    const y = 8 + i * row;
    const bw = (w * (it.value || 0)) / max;
    const name = opts.maxLabel && it.label.length > opts.maxLabel ? it.label.slice(0, opts.maxLabel - 1) + "…" : it.label;
    body += `<g><title>${esc(it.label)}</title>${text(left - 8, y + row / 2 + 4, name, 'text-anchor="end" fill="#24292f"')}</g>`;
    body += `<rect x="${left}" y="${y + 4}" width="${bw.toFixed(1)}" height="${row - 10}" fill="${it.color || color}" rx="2"/>`;
    body += text(left + bw + 6, y + row / 2 + 4, it.text ?? String(it.value), 'fill="#24292f" font-size="12"');
  });
  return svg(width, height, body, label);
}

/** One stacked bar showing shares, with a legend. items: [{label, value}]; opts.paren: the brackets around the share. */
export function shareBar(items, opts = {}) {
  const { width = 520, label = "" } = opts;
  const total = items.reduce((a, i) => a + (i.value || 0), 0);
  if (!total) return empty(width, 110, label, opts.emptyText);
  const [po, pc] = opts.paren || ["（", "）"];
  let x = 10;
  const w = width - 20;
  let body = "";
  items.forEach((it, i) => {
    const bw = (w * (it.value || 0)) / total;
    const colr = it.color || PALETTE[i % PALETTE.length];
    if (bw > 0) body += `<rect x="${x.toFixed(1)}" y="10" width="${bw.toFixed(1)}" height="34" fill="${colr}"/>`;
    if (bw > 46) body += text(x + bw / 2, 32, `${Math.round((100 * it.value) / total)}%`, 'text-anchor="middle" fill="#fff" font-weight="bold"');
    x += bw;
    const lx = 10 + (i % 2) * (w / 2);
    const ly = 72 + Math.floor(i / 2) * 26;
    body += `<rect x="${lx}" y="${ly - 11}" width="12" height="12" fill="${colr}"/>`;
    body += text(lx + 18, ly, `${it.label} ${it.value}${po}${((100 * it.value) / total).toFixed(1)}%${pc}`, 'fill="#24292f" font-size="13"');
  });
  return svg(width, 72 + Math.ceil(items.length / 2) * 26, body, label);
}

export { PALETTE };
