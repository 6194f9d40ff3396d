// The 差评整改 board's pure state: labels, the next steps an item allows, the figures' tiles.

export const STATUS_LABELS = { open: "待回访", visited: "已回访", rectified: "已整改", closed: "已办结" };
export const KIND_LABELS = { bad_grade: "差评", cannot_do: "办不成事" };
export const GRADE_LABELS = { 1: "非常不满意", 2: "不满意", 3: "基本满意", 4: "满意", 5: "非常满意" };
export const METHOD_LABELS = { phone: "电话回访", in_person: "当面回访" };
export const ACTION_LABELS = { visit: "登记回访", rectify: "登记整改", close: "办结反馈" };
export const SOURCE_LABELS = { pad: "评价器", mobile: "手机", staff: "工作人员代评" };

const NEXT = { open: ["visit"], visited: ["rectify", "close"], rectified: ["close"], closed: [] };

/** Return the steps an item in this status allows, in the order they are offered. */
export function nextActions(status) {
  return NEXT[status] || [];
}

/** Tell whether a hall message concerns the feedback board (a new grade may have opened an item). */
export function isFeedbackEvent(msg) {
  return !!msg && typeof msg.type === "string"
    && (msg.type.startsWith("feedback.") || msg.type === "ticket.evaluated" || msg.type === "case.evaluated");
}

/** Return "YYYY-MM" for a day "YYYY-MM-DD". */
export function monthOf(day) {
  return String(day).slice(0, 7);
}

/** Return the month before or after "YYYY-MM" (delta in months). */
export function shiftMonth(month, delta) {
  const [y, m] = month.split("-").map(Number);
  const n = y * 12 + (m - 1) + delta;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;
}

function pct(v) {
  return v === null || v === undefined ? "—" : `${Number(v).toFixed(1)}%`;
}

/** Return the month's figure tiles: [{key, label, value, bad}]. */
export function feedbackTiles(stats) {
  return [
    { key: "bad", label: "差评", value: String(stats.bad), bad: stats.bad > 0 },
    { key: "cannot_do", label: "办不成事反映", value: String(stats.cannot_do), bad: stats.cannot_do > 0 },
    { key: "visited_pct", label: "实名差评回访率", value: pct(stats.visited_pct), bad: false },
    { key: "rectified_on_time_pct", label: "整改按时率", value: pct(stats.rectified_on_time_pct), bad: false },
    { key: "open", label: "未办结（现在）", value: String(stats.open), bad: false },
    { key: "overdue", label: "已逾期（现在）", value: String(stats.overdue), bad: stats.overdue > 0 },
  ];
}

/** Return the one-line summary of what an item is about. */
export function itemSummary(item) {
  if (item.kind === "cannot_do") {
    return item.matter_name ? `事项：${item.matter_name}` : "未选择事项";
  }
  const where = item.window ? `${item.window} 号窗口` : "办件";
  const who = item.clerk_name ? ` · ${item.clerk_name}` : "";
  const number = item.ticket_number ? ` · ${item.ticket_number}` : "";
  return `${where}${who}${number} · ${GRADE_LABELS[item.grade] || ""}`;
}

/** Check a step's form before sending it; return an error message or "". */
export function checkStep(action, { method, note }) {
  if (action === "visit" && !METHOD_LABELS[method]) return "请选择回访方式";
  const text = (note || "").trim();
  if (!text) return "请填写说明";
  if (text.length > 500) return "说明不能超过 500 字";
  return "";
}

/** Name who took a step in words: a pad, the resident, the system, or the manager's username. */
export function byLabel(by) {
  if (by.startsWith("device:")) return "评价器";
  if (by.startsWith("resident:") || by.startsWith("applicant:")) return "群众";
  if (by === "system") return "系统";
  return by.startsWith("user:") ? by.slice(5) : by;
}

/** Return the ranking rows for display, with satisfaction shown as text. */
export function rankingRows(ranking, limit = 18) {
  return ranking.slice(0, limit).map((r) => ({
    ...r, satisfied: pct(r.satisfied_pct), flag: r.satisfied_pct !== null && r.satisfied_pct < 90,
  }));
}
