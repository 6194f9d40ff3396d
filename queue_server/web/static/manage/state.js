// Pure state logic for /manage: (state, message) → state, plus formatting helpers.

export const OUTCOME_LABELS = { done: "办结", deferred: "延时办", proxy: "代办", incomplete: "材料不全" };
export const CHANNEL_LABELS = { kiosk: "取号机", mobile: "手机扫码", counter: "窗口代取", agent: "村代办员" };
export const WINDOW_STATUS = { open: "开放", paused: "暂停", closed: "关闭" };
export const TICKET_STATUS = { waiting: "等候", called: "已叫号", serving: "办理中", done: "已办结" };

export function initialState() {
  return { windows: [], categories: [], alerts: [], at: null, seq: null, connected: false, stale: false };
}

/** Format seconds as 「3分05秒」, 「1时02分」; null shows as —. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}分${String(s % 60).padStart(2, "0")}秒`;
  return `${Math.floor(m / 60)}时${String(m % 60).padStart(2, "0")}分`;
}

/** Format minutes as a whole number of minutes, for chart axes. */
export function formatMinutes(seconds) {
  if (seconds === null || seconds === undefined) return "—";
  return `${(seconds / 60).toFixed(seconds < 600 ? 1 : 0)}分`;
}

export function formatPct(value) {
  return value === null || value === undefined ? "—" : `${value.toFixed(1)}%`;
}

function patchWindow(windows, number, fn) {
  return windows.map((w) => (w.number === number ? fn(w) : w));
}

function patchCategory(categories, code, fn) {
  return categories.map((c) => (c.code === code ? fn(c) : c));
}

/** Apply a live payload, a websocket snapshot or a hall event to the monitor state. */
export function reduce(state, msg) {
  if (!msg || typeof msg !== "object") return state;
  switch (msg.type) {
    case "live":
      return { ...state, windows: msg.data.windows, categories: msg.data.categories,
        alerts: msg.data.alerts, at: msg.data.at, stale: false };
    case "status":
      return { ...state, connected: !!msg.connected };
    case "snapshot": {
      let windows = state.windows;
      for (const w of msg.windows || []) {
        windows = patchWindow(windows, w.number, (old) => ({ ...old, status: w.status,
          current: w.current ? { ...(old.current || {}), ...w.current } : null }));
      }
      let categories = state.categories;
      for (const c of msg.categories || []) {
        categories = patchCategory(categories, c.code, (old) => ({ ...old, waiting: c.waiting,
          eta_minutes: c.eta_minutes }));
      }
      return { ...state, windows, categories, seq: msg.seq, stale: true };
    }
    default:
      break;
  }
  if (typeof msg.type !== "string") return state;
  const t = msg.ticket;
  let { windows, categories } = state;
  const next = () => ({ ...state, windows, categories, seq: msg.seq ?? state.seq, stale: true });
  switch (msg.type) {
    case "ticket.issued":
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: c.waiting + 1 }));
      return next();
    case "ticket.called":
      if (t) {
        categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: Math.max(0, c.waiting - 1) }));
        windows = patchWindow(windows, msg.window, (w) => ({ ...w,
          current: { number: t.number, status: "called", service: t.service, since: msg.at } }));
      }
      return next();
    case "ticket.started":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w,
        current: w.current ? { ...w.current, status: "serving", since: msg.at } : w.current }));
      return next();
    case "ticket.finished":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null,
        served_today: (w.served_today || 0) + 1, idle_since: msg.at }));
      return next();
    case "ticket.no_show":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null, idle_since: msg.at }));
      return next();
    case "ticket.transferred":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, current: null, idle_since: msg.at }));
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: c.waiting + 1 }));
      return next();
    case "ticket.cancelled":
    case "ticket.expired":
      if (t) categories = patchCategory(categories, t.category, (c) => ({ ...c, waiting: Math.max(0, c.waiting - 1) }));
      return next();
    case "window.opened":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "open" }));
      return next();
    case "window.resumed":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "open" }));
      return next();
    case "window.paused":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "paused" }));
      return next();
    case "window.closed":
      windows = patchWindow(windows, msg.window, (w) => ({ ...w, status: "closed", clerk: null, current: null }));
      return next();
    default:
      return state; // types this page does not know are ignored
  }
}

/** Describe a window card: a label for its state and a CSS class. */
export function windowView(w) {
  if (w.status === "closed") return { label: "关闭", cls: "closed" };
  if (w.status === "paused") return { label: "暂停", cls: "paused" };
  if (w.current) return { label: TICKET_STATUS[w.current.status] || w.current.status, cls: "busy" };
  return { label: w.eligible_waiting ? "空闲（有人等候）" : "空闲", cls: w.eligible_waiting ? "idle-warn" : "idle" };
}

/** Return the KPI tiles of a summary, in reading order. */
export function kpiTiles(s, slaMinutes) {
  const mins = Math.round((s.sla && s.sla.threshold ? s.sla.threshold : slaMinutes * 60) / 60);
  return [
    { key: "issued", label: "取号", value: String(s.issued), unit: "人次" },
    { key: "served", label: "办结", value: String(s.served), unit: "件" },
    { key: "no_show", label: "过号率", value: formatPct(s.no_show_pct), sub: `过号 ${s.no_show} 人` },
    { key: "wait_avg", label: "平均等候", value: formatDuration(s.wait.avg), sub: `中位数 ${formatDuration(s.wait.p50)}` },
    { key: "wait_p90", label: "90% 的人等候不超过", value: formatDuration(s.wait.p90), sub: `最长 ${formatDuration(s.wait.max)}` },
    { key: "service_avg", label: "平均办理时长", value: formatDuration(s.service.avg), sub: `P90 ${formatDuration(s.service.p90)}` },
    { key: "sla", label: `${mins} 分钟内叫号`, value: formatPct(s.sla.within_pct), sub: `${s.sla.within ?? "—"} / ${s.sla.called ?? "—"} 人`, good: s.sla.within_pct },
    { key: "satisfaction", label: "满意率", value: formatPct(s.satisfaction.satisfied_pct), sub: `评价 ${s.satisfaction.count} 次 · 均分 ${s.satisfaction.avg ?? "—"}`, good: s.satisfaction.satisfied_pct },
    { key: "eta", label: "预计等候误差", value: s.eta_mae_minutes === null ? "—" : `${s.eta_mae_minutes} 分`, sub: "平均绝对误差" },
  ];
}

/** Fill the hours a day is open (at least 8–18) so that gaps show as zero. */
export function hourSeries(byHour) {
  const hours = byHour.map((h) => h.hour);
  const lo = Math.min(8, ...hours);
  const hi = Math.max(18, ...hours);
  const map = new Map(byHour.map((h) => [h.hour, h]));
  const out = [];
  for (let h = lo; h <= hi; h++) out.push(map.get(h) || { hour: h, issued: 0, wait_avg: null });
  return out;
}

/** Add days to an ISO date (YYYY-MM-DD). */
export function addDays(iso, days) {
  const d = new Date(iso + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
