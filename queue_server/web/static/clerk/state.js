// Clerk console state: a pure reducer (state, message) → state, plus pure selectors.
// Nothing here touches the DOM or the network, so node --test covers it.

export const OUTCOMES = [
  ["done", "办结"],
  ["deferred", "延时办"],
  ["proxy", "代办"],
  ["incomplete", "材料不全"],
];

export const PRIORITY_LABELS = {
  elderly: "老年人优先", disabled: "残疾人优先", veteran: "退役军人优先", pregnant: "孕妇优先",
};
export const CHANNEL_LABELS = {
  kiosk: "自助取号机", mobile: "手机扫码", counter: "窗口代取", agent: "村代办",
};
export const STATUS_LABELS = {
  waiting: "等候中", called: "已叫号，等待到窗", serving: "办理中", done: "已办结",
  no_show: "过号", cancelled: "已取消", expired: "已过期",
};
export const WINDOW_STATUS_LABELS = { open: "开放", paused: "暂停", closed: "关闭" };

/** What each refusal means for the clerk, in plain Chinese. */
export const ERROR_HINTS = {
  window_busy: "本窗口还有当前号码：请先办结、过号或转移它。",
  window_closed: "窗口已暂停或未开启，不能叫号：请先恢复或开启窗口。",
  no_current_ticket: "本窗口当前没有号码，列表已刷新。",
  invalid_state: "当前号码的状态不允许这个操作（例如已开始办理的号码不能过号）。",
  ticket_not_waiting: "这个号码已被其他窗口叫走或已结束，列表已刷新。",
  forbidden: "您只能操作自己开启的窗口：这个窗口由其他工作人员使用，或您没有这个权限。",
  conflict: "一人只能开启一个窗口：请先关闭您已开启的窗口。",
  unauthorized: "登录已失效，请重新登录。",
  not_found: "找不到这个号码或窗口。",
  network: "网络连接失败，请检查网络后重试。",
  rate_limited: "操作过于频繁，请稍后再试。",
  invalid: "输入内容不正确。",
};

export const ACTION_LABELS = {
  open: "开启窗口", pause: "暂停", resume: "恢复", close: "关闭窗口", "call-next": "叫下一位",
  call: "叫指定号", recall: "重呼", start: "开始办理", finish: "办结", "no-show": "过号",
  transfer: "转移", "walk-in": "窗口取号",
};

/** Keyboard shortcuts for USB caller keypads (numeric keypad keys) and F-keys. */
export const SHORTCUTS = [
  { keys: ["+", "F1"], action: "call-next", label: "叫下一位" },
  { keys: ["*", "F2"], action: "recall", label: "重呼" },
  { keys: ["/", "F3"], action: "start", label: "开始办理" },
  { keys: ["Enter", "F4"], action: "finish", label: "办结（按所选结果）" },
  { keys: ["-", "F6"], action: "no-show", label: "过号（按两次确认）" },
  { keys: [".", "F7"], action: "transfer", label: "转移（打开转移对话框）" },
  { keys: ["0", "F8"], action: "pause-toggle", label: "暂停 / 恢复" },
  { keys: ["1", "2", "3", "4"], action: "outcome", label: "选择办结结果：1 办结 2 延时办 3 代办 4 材料不全" },
  { keys: ["Escape"], action: "cancel", label: "取消（关闭对话框、撤销过号确认）" },
];

export function initialState() {
  return {
    me: null,
    loginError: null,
    windowNo: null,
    windows: [],
    queue: [],
    catalog: null,
    connected: false,
    pending: null,
    outcome: "done",
    armed: null,
    dialog: null,
    error: null,
    notice: null,
    lastCalled: [],
    lastIssued: null,
    autoSelect: true,
  };
}

/** Turn an error code and the server's message into {code, title, detail}. */
export function explainError(code, message) {
  const title = ERROR_HINTS[code] || "操作失败";
  const detail = message && message !== title ? message : "";
  return { code, title, detail };
}

function replaceWindow(windows, w) {
  if (!w || typeof w.number !== "number") return windows;
  const found = windows.some((x) => x.number === w.number);
  return found ? windows.map((x) => (x.number === w.number ? w : x)) : [...windows, w];
}

function setCurrent(windows, number, ticket) {
  return windows.map((w) => (w.number === number ? { ...w, current: ticket } : w));
}

function pushCalled(list, entry) {
  const rest = list.filter((e) => !(e.number === entry.number && e.at === entry.at));
  return [entry, ...rest].slice(0, 10);
}

const TICKET_ACTIONS = new Set(["call-next", "call", "recall", "start", "finish", "no-show", "transfer"]);
const WINDOW_ACTIONS = new Set(["open", "pause", "resume", "close"]);

export function reduce(state, msg) {
  switch (msg.type) {
    case "me":
      return { ...state, me: msg.me, loginError: null };
    case "logged-out":
      return { ...initialState(), catalog: state.catalog };
    case "login-error":
      return { ...state, loginError: msg.message };
    case "catalog":
      return { ...state, catalog: msg.catalog };
    case "socket":
      return { ...state, connected: !!msg.connected };
    case "windows": {
      const windows = msg.windows || [];
      let windowNo = state.windowNo;
      if (windowNo === null && state.me && state.autoSelect) {
        const mine = windows.find((w) => w.status !== "closed" && w.clerk && w.clerk.username === state.me.username);
        if (mine) windowNo = mine.number;
      }
      return { ...state, windows, windowNo, queue: windowNo === state.windowNo ? state.queue : [] };
    }
    case "queue":
      if (msg.window !== state.windowNo) return state;
      return { ...state, queue: msg.queue || [] };
    case "select":
      return { ...state, windowNo: msg.window, queue: [], dialog: null, armed: null, lastCalled: [] };
    case "leave":
      return { ...state, windowNo: null, queue: [], dialog: null, armed: null, lastCalled: [], autoSelect: false };
    case "pending":
      return { ...state, pending: msg.action, notice: null };
    case "done":
      return applyDone(state, msg);
    case "failed":
      return {
        ...state, pending: null, armed: null,
        error: { ...explainError(msg.code, msg.message), action: msg.action },
      };
    case "dismiss":
      return { ...state, error: null, notice: null };
    case "arm":
      return { ...state, armed: msg.action, notice: null };
    case "disarm":
      return { ...state, armed: null };
    case "dialog":
      return { ...state, dialog: msg.dialog, armed: null };
    case "outcome":
      return OUTCOMES.some(([code]) => code === msg.outcome) ? { ...state, outcome: msg.outcome } : state;
    case "hall":
      return applyHall(state, msg.msg);
    default:
      return state;
  }
}

function applyDone(state, msg) {
  const { action, result } = msg;
  const next = { ...state, pending: null, error: null, armed: null };
  if (WINDOW_ACTIONS.has(action)) {
    next.windows = replaceWindow(state.windows, result);
    if (action === "close") {
      next.windowNo = null;
      next.queue = [];
      next.lastCalled = [];
      next.notice = `${result.number} 号窗口已关闭`;
    } else if (action === "open") {
      next.windowNo = result.number;
      next.notice = `已开启 ${result.number} 号窗口`;
    } else {
      next.notice = action === "pause" ? "窗口已暂停：不会叫新号，当前号码仍可办理" : "窗口已恢复";
    }
    return next;
  }
  if (action === "walk-in") {
    next.lastIssued = result;
    next.notice = `已为窗口前的群众取号 ${result.number}（${result.service_name || result.service}）`;
    return next;
  }
  if (!TICKET_ACTIONS.has(action)) return next;
  const n = state.windowNo;
  if (result === null) {
    next.notice = "当前没有可叫的号码";
    return next;
  }
  const t = result.ticket;
  if (["call-next", "call", "recall", "start"].includes(action)) {
    next.windows = setCurrent(state.windows, n, t);
  } else {
    next.windows = setCurrent(state.windows, n, null);
  }
  if (action === "call-next" || action === "call" || action === "recall") {
    next.lastCalled = pushCalled(state.lastCalled, { number: t.number, at: t.called_at || "" });
    next.queue = state.queue.filter((q) => q.id !== t.id);
  }
  const notices = {
    "call-next": `正在呼叫 ${t.number}`,
    call: `正在呼叫 ${t.number}`,
    recall: `已重呼 ${t.number}`,
    start: `${t.number} 开始办理`,
    finish: `${t.number} 已办结`,
    "no-show": `${t.number} 已过号`,
    transfer: `${t.number} 已转移，保留原排队位置`,
  };
  next.notice = notices[action];
  if (action === "transfer") next.dialog = null;
  if (action === "finish") next.outcome = "done";  // each resident starts from the usual outcome
  return next;
}

function applyHall(state, m) {
  if (!m || !m.type) return state;
  if (m.type === "snapshot") {
    const recent = (m.recent_calls || [])
      .filter((c) => c.window === state.windowNo)
      .map((c) => ({ number: c.number, at: c.at }));
    return { ...state, lastCalled: recent.slice(0, 10) };
  }
  if ((m.type === "ticket.called" || m.type === "ticket.recalled") && m.window === state.windowNo && m.ticket) {
    return { ...state, lastCalled: pushCalled(state.lastCalled, { number: m.ticket.number, at: m.at || "" }) };
  }
  return state;
}

/** Tell whether a hall message may change this console's window list or queue. */
export function needsRefresh(m) {
  if (!m || !m.type) return false;
  if (m.type === "snapshot") return true;
  return m.type.startsWith("ticket.") && m.type !== "ticket.evaluated" || m.type.startsWith("window.");
}

export function myWindow(state) {
  return state.windows.find((w) => w.number === state.windowNo) || null;
}

/** Tell whether the logged-in clerk holds this console's window. */
export function holdsWindow(state) {
  const w = myWindow(state);
  return !!(w && state.me && w.status !== "closed" && w.clerk && w.clerk.username === state.me.username);
}

/** Which window actions make sense now; everything is off while a request is in flight. */
export function controls(state) {
  const w = myWindow(state);
  const off = {
    "call-next": false, call: false, recall: false, start: false, finish: false,
    "no-show": false, transfer: false, pause: false, resume: false, close: false,
  };
  if (!w || !holdsWindow(state) || state.pending) return off;
  const cur = w.current;
  const st = cur ? cur.status : null;
  const open = w.status === "open";
  return {
    "call-next": open && !cur,
    call: open && !cur,
    recall: st === "called",
    start: st === "called",
    finish: st === "called" || st === "serving",
    "no-show": st === "called",
    transfer: st === "called" || st === "serving",
    pause: open,
    resume: w.status === "paused",
    close: !cur,
  };
}

/** Map a key press to a console command, or null. Keys typed into form fields are left alone. */
export function keyCommand(key, { inField = false, dialog = null } = {}) {
  if (key === "Escape") return { action: "cancel" };
  if (inField) return null;
  if (dialog) return null;
  for (const s of SHORTCUTS) {
    if (!s.keys.includes(key)) continue;
    if (s.action === "outcome") return { action: "outcome", outcome: OUTCOMES[Number(key) - 1][0] };
    return { action: s.action };
  }
  return null;
}

/** Format seconds as "12 分 05 秒" (or "1 小时 02 分"). */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h} 小时 ${String(m).padStart(2, "0")} 分`;
  if (m) return `${m} 分 ${String(sec).padStart(2, "0")} 秒`;
  return `${sec} 秒`;
}

/** How long the resident waited: issue to first call, or issue to now while still waiting. */
export function waitedSeconds(ticket, nowMs) {
  if (!ticket || !ticket.issued_at) return 0;
  const from = Date.parse(ticket.issued_at);
  const to = ticket.first_called_at ? Date.parse(ticket.first_called_at) : nowMs;
  return Math.max(0, (to - from) / 1000);
}

/** The materials checklist of a service: [{matter, mode, materials: [str]}]. */
export function materialsFor(catalog, serviceCode) {
  if (!catalog) return [];
  for (const c of catalog.categories || []) {
    for (const s of c.services || []) {
      if (s.code !== serviceCode) continue;
      return (s.matters || []).map((m) => ({ matter: m.name, mode: m.mode, materials: m.materials || [] }));
    }
  }
  return [];
}

/** Every service of the catalogue as [{code, name, category}] for the transfer and walk-in menus. */
export function serviceOptions(catalog) {
  if (!catalog) return [];
  const out = [];
  for (const c of catalog.categories || []) {
    for (const s of c.services || []) out.push({ code: s.code, name: s.name, category: c.code, categoryName: c.name });
  }
  return out;
}

/** Counts for the waiting list header. */
export function queueCounts(queue) {
  const byCategory = {};
  let priority = 0;
  let transferred = 0;
  for (const t of queue) {
    byCategory[t.category] = (byCategory[t.category] || 0) + 1;
    if (t.priority) priority += 1;
    if (t.designated_window) transferred += 1;
  }
  return { total: queue.length, priority, transferred, byCategory };
}
