// @ts-check
// /manage 短信提醒: per-day counts, the delivery rate, the failures, the test-send checks (pure, tested with node).

/** @typedef {{ id?: number | string, kind: string, phone: string | null, attempts: number, created_at: string,
 *   reason?: string | null }} Failure a failed text as the stats route lists it (no status: every one failed) */
/** @typedef {Failure & { template?: string, params?: Record<string, unknown>, status: string,
 *   sent_at?: string | null }} Message a text of the outbox (GET /api/sms) */
/** @typedef {{ day: string, sent: number, failed: number, logged: number, queued: number, dropped: number }} Counts */
/** @typedef {Counts & { rate: number | null }} DayRow */

export const STATUSES = /** @type {const} */ (["sent", "failed", "logged", "queued", "dropped"]);
export const KINDS = /** @type {const} */ (["ahead", "called", "case_ready", "appointment"]);
export const HALL_TZ = "Asia/Shanghai";
export const MAX_DAYS = 92;

/**
 * The hall's calendar day (YYYY-MM-DD) of an instant, whatever offset the server wrote it with.
 * @param {string} iso
 * @param {string} [tz]
 */
export function hallDay(iso, tz = HALL_TZ) {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso).slice(0, 10);
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * The hall's clock time (HH:MM) of an instant.
 * @param {string | null | undefined} iso
 * @param {string} [tz]
 */
export function hallTime(iso, tz = HALL_TZ) {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  return new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/**
 * Check the range form and turn it into the routes' query, or name the error key.
 * @param {{ from: string, to: string }} f
 * @returns {{ ok: true, query: string } | { ok: false, error: string }}
 */
export function rangeQuery(f) {
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  if (!iso.test(f.from) || !iso.test(f.to)) return { ok: false, error: "sms_err_date" };
  if (f.from > f.to) return { ok: false, error: "sms_err_order" };
  const days = (Date.parse(f.to + "T00:00:00Z") - Date.parse(f.from + "T00:00:00Z")) / 86400000 + 1;
  if (days > MAX_DAYS) return { ok: false, error: "sms_err_long" };
  return { ok: true, query: new URLSearchParams({ from: f.from, to: f.to }).toString() };
}

/**
 * Sent ÷ (sent + failed), in percent; null when nothing was sent or failed (logged texts are not deliveries).
 * @param {number} sent
 * @param {number} failed
 */
export function deliveryRate(sent, failed) {
  return sent + failed > 0 ? (100 * sent) / (sent + failed) : null;
}

/**
 * Write a rate as 97.5%, or — when there is none.
 * @param {number | null} rate
 */
export function pctText(rate) {
  return rate === null ? "—" : `${rate.toFixed(1)}%`;
}

/** @param {string} day */
function emptyDay(day) {
  return { day, sent: 0, failed: 0, logged: 0, queued: 0, dropped: 0 };
}

/**
 * Count the messages by hall day and status, every day of the range present (oldest first), each with its rate.
 * @param {Message[]} messages
 * @param {{ from?: string, to?: string, tz?: string }} [range] days with no message still get a row
 * @returns {DayRow[]}
 */
export function dailyFigures(messages, { from, to, tz = HALL_TZ } = {}) {
  /** @type {Map<string, Counts>} */
  const byDay = new Map();
  if (from && to && from <= to) {
    for (let d = from, n = 0; d <= to && n < MAX_DAYS; d = nextDay(d), n++) byDay.set(d, emptyDay(d));
  }
  for (const m of messages) {
    const day = hallDay(m.created_at, tz);
    const row = byDay.get(day) || emptyDay(day);
    const status = /** @type {keyof Counts} */ (m.status);
    if (status !== "day" && status in row) /** @type {any} */ (row)[status] += 1;
    byDay.set(day, row);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)).map((r) => ({ ...r, rate: deliveryRate(r.sent, r.failed) }));
}

/** @param {string} day */
function nextDay(day) {
  const d = new Date(day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The section's figures from GET /api/sms/stats: every day of the range (oldest first), the totals, the failures.
 * @param {{ days: (Partial<Counts> & { day: string, delivery_rate?: number | null })[], total: Partial<Counts>,
 *   failures: Failure[] }} stats
 * @param {{ from: string, to: string }} range
 */
export function statsView(stats, { from, to }) {
  /** @type {Map<string, DayRow>} */
  const byDay = new Map(dailyFigures([], { from, to }).map((d) => [d.day, d]));
  for (const d of stats.days) {
    const row = { ...emptyDay(d.day), ...pickCounts(d) };
    byDay.set(d.day, { ...row, rate: d.delivery_rate ?? deliveryRate(row.sent, row.failed) });
  }
  const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  const total = { ...emptyDay(""), ...pickCounts(stats.total) };
  return { days, total: { ...total, rate: deliveryRate(total.sent, total.failed) }, failures: newestFirst(stats.failures) };
}

/**
 * The same figures counted here from GET /api/sms, for a server without /api/sms/stats.
 * @param {Message[]} messages
 * @param {{ from: string, to: string }} range
 */
export function messagesView(messages, range) {
  const days = dailyFigures(messages, range);
  /** @type {Failure[]} */
  const failed = failures(messages);
  return { days, total: totals(days), failures: failed };
}

/** @param {Partial<Counts>} c */
function pickCounts(c) {
  /** @type {Partial<Counts>} */
  const out = {};
  for (const s of STATUSES) if (typeof c[s] === "number") out[s] = c[s];
  return out;
}

/**
 * Add the days up, with the range's delivery rate.
 * @param {Counts[]} days
 */
export function totals(days) {
  const sum = emptyDay("");
  for (const d of days) for (const s of STATUSES) sum[s] += d[s];
  return { ...sum, rate: deliveryRate(sum.sent, sum.failed) };
}

/**
 * The failed messages, newest first, with the reason the provider gave when the API tells it.
 * @param {Message[]} messages
 */
export function failures(messages) {
  return newestFirst(messages.filter((m) => m.status === "failed"));
}

/**
 * The messages newest first (the stats route's failures carry no status: all of them failed).
 * @template {{ created_at: string }} T
 * @param {T[]} messages
 * @returns {T[]}
 */
export function newestFirst(messages) {
  return [...messages].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/**
 * Which note the page shows about the figures: logged texts were never sent, none were sent, or nothing to say.
 * @param {{ sent: number, failed: number, logged: number }} sum
 * @param {string} provider the provider in use ("" when unknown)
 * @returns {"sms_logged_only" | "sms_logged_some" | "sms_none" | null}
 */
export function figuresNote(sum, provider) {
  if (sum.logged && !sum.sent && !sum.failed) return "sms_logged_only";
  if (sum.logged) return "sms_logged_some";
  if (!sum.sent && !sum.failed && provider === "log") return "sms_logged_only";
  if (!sum.sent && !sum.failed) return "sms_none";
  return null;
}

/**
 * Check the test-send number the way the server does (spaces, dashes and +86 removed): 11 digits starting with 1.
 * @param {string} raw
 * @returns {{ ok: true, phone: string } | { ok: false, error: "sms_test_bad_phone" }}
 */
export function testPhone(raw) {
  let p = String(raw || "").replace(/[\s-]/g, "");
  for (const prefix of ["+86", "0086", "86"]) {
    if (p.startsWith(prefix) && p.length === prefix.length + 11) { p = p.slice(prefix.length); break; }
  }
  return /^1\d{10}$/.test(p) ? { ok: true, phone: p } : { ok: false, error: "sms_test_bad_phone" };
}

/**
 * What a test send's answer means for the person who pressed the button: a level and a text key with its values.
 * @param {{ status?: string, reason?: string | null, provider?: string | null, phone?: string | null }} answer
 * @returns {{ level: "ok" | "warning" | "error", key: string, values: Record<string, string> }}
 */
export function testOutcome(answer) {
  const values = { phone: answer.phone || "", reason: answer.reason || "", provider: answer.provider || "" };
  switch (answer.status) {
    case "sent": return { level: "ok", key: "sms_test_sent", values };
    case "logged": return { level: "warning", key: "sms_test_logged", values };
    case "queued": return { level: "warning", key: "sms_test_queued", values };
    case "dropped": return { level: "warning", key: "sms_test_dropped", values };
    case "failed": return { level: "error", key: values.reason ? "sms_test_failed" : "sms_test_failed_plain", values };
    default: return { level: "error", key: "sms_test_unknown", values: { ...values, reason: String(answer.status ?? "") } };
  }
}

// Events whose handlers may queue a text (the server's sender wakes on the same ones).
const QUEUEING = new Set(["ticket.called", "case.completed", "appointment.booked"]);

/**
 * Tell whether a hall event may have queued a text, so that figures covering today are read again.
 * @param {{ type?: unknown } | null | undefined} msg
 * @param {{ to: string } | null} range the range shown
 * @param {string} today the hall's day
 */
export function refreshesFigures(msg, range, today) {
  return !!msg && typeof msg.type === "string" && QUEUEING.has(msg.type) && !!range && range.to >= today;
}
