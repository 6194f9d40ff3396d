// Evaluation pad state: a pure reducer (state, message) → state. No DOM, no network.

/** The five grades of 好差评, best first: [grade, label]. */
export const GRADES = [
  [5, "非常满意"],
  [4, "满意"],
  [3, "基本满意"],
  [2, "不满意"],
  [1, "非常不满意"],
];

/** Reasons asked for when the grade is 2 or less. */
export const REASONS = ["态度", "效率", "流程", "其他"];

/** How long each screen stays before the pad goes idle again, in milliseconds. */
export const TIMEOUTS = { prompt: 120000, reason: 120000, thanks: 5000, expired: 6000, error: 15000 };

export function initialState(window) {
  return {
    window,
    phase: "idle",
    info: null,
    ticket: null,
    grade: null,
    reasons: [],
    message: null,
    connected: false,
    noToken: false,
  };
}

export function gradeLabel(grade) {
  const g = GRADES.find(([n]) => n === grade);
  return g ? g[1] : "";
}

export function reduce(state, msg) {
  switch (msg.type) {
    case "no-token":
      return { ...state, noToken: true };
    case "socket":
      return { ...state, connected: !!msg.connected };
    case "windows": {
      const info = (msg.windows || []).find((w) => w.number === state.window) || null;
      return { ...state, info };
    }
    case "hall": {
      const m = msg.msg;
      if (m && m.type === "ticket.finished" && m.window === state.window && m.ticket) {
        return {
          ...state, phase: "prompt", ticket: { id: m.ticket.id, number: m.ticket.number },
          grade: null, reasons: [], message: null,
        };
      }
      return state;
    }
    case "grade": {
      if (state.phase !== "prompt" && state.phase !== "error") return state;
      if (!GRADES.some(([n]) => n === msg.grade)) return state;
      if (msg.grade <= 2) return { ...state, phase: "reason", grade: msg.grade, reasons: [], message: null };
      return { ...state, phase: "sending", grade: msg.grade, reasons: [], message: null };
    }
    case "toggle-reason": {
      if (state.phase !== "reason" || !REASONS.includes(msg.reason)) return state;
      const has = state.reasons.includes(msg.reason);
      const reasons = has ? state.reasons.filter((r) => r !== msg.reason) : [...state.reasons, msg.reason];
      return { ...state, reasons: REASONS.filter((r) => reasons.includes(r)) };
    }
    case "submit-reasons":
      if (state.phase !== "reason" || state.reasons.length === 0) return state;
      return { ...state, phase: "sending" };
    case "back":
      return state.phase === "reason" ? { ...state, phase: "prompt", grade: null, reasons: [] } : state;
    case "sent":
      return { ...state, phase: "thanks", message: null };
    case "send-failed":
      if (msg.code === "already_evaluated") return { ...state, phase: "thanks", message: "本次服务已经评价过了" };
      if (msg.code === "ticket_not_done") return { ...state, phase: "expired", message: "评价时间已过，谢谢您" };
      return { ...state, phase: "error", message: msg.message || "提交失败，请重试" };
    case "timeout":
      if (msg.phase !== state.phase || state.phase === "sending") return state;
      return { ...state, phase: "idle", ticket: null, grade: null, reasons: [], message: null };
    default:
      return state;
  }
}

/** The evaluation request body for the current state, or null when nothing is to be sent. */
export function evaluationBody(state) {
  if (state.phase !== "sending" || !state.grade) return null;
  const body = { grade: state.grade };
  if (state.reasons.length) body.reasons = [...state.reasons];
  return body;
}

/** Tell whether a hall message may change what the idle screen shows. */
export function needsWindowRefresh(m, window) {
  if (!m || !m.type) return false;
  return m.type === "snapshot" || (m.type.startsWith("window.") && m.window === window);
}
