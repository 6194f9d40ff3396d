// @ts-check
// The 短信提醒 (SMS) section of /manage: per-day figures, the delivery rate, the failures, and a test send for admins.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import {
  figuresNote, hallDay, hallTime, messagesView, pctText, rangeQuery, refreshesFigures, statsView, testOutcome, testPhone,
} from "./sms_state.js";

/** @typedef {import("./sms_state.js").Message} Message */
/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {import("../common/i18n.js").Translate} Translate */
/** @typedef {{ lang: () => string, t: () => Translate, today: string }} Context */

const FAILURES_SHOWN = 50;
// A text is sent (or fails, after its retries) without any hall event: figures covering today are read again this often.
const TODAY_REFRESH_MS = 30_000;

/** @type {Context | null} */
let ctx = null;
/** @type {{ from: string, to: string, view: ReturnType<typeof statsView> } | null} */
let last = null;
let asked = 0;
/** @type {{ level: string, key: string, values: Record<string, string> } | { level: "error", text: string } | null} */
let testResult = null;
let testing = false;
/** @type {ReturnType<typeof setTimeout> | null} */
let soon = null;

/** The section's element, or null when the page has none (another mode). */
const section = () => document.getElementById("sms");

/** The range form's date fields. */
function fields() {
  const form = $("sms-range", HTMLFormElement);
  const el = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
  return { form, from: el("from"), to: el("to") };
}

/**
 * Wire the section and load today's figures.
 * @param {Context} context
 */
export function initSms(context) {
  ctx = context;
  if (!section()) return;
  const { form, from, to } = fields();
  from.value = from.value || context.today;
  to.value = to.value || context.today;
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadSms(); });
  for (const b of document.querySelectorAll("[data-sms-preset]")) {
    b.addEventListener("click", () => {
      const n = Number(/** @type {HTMLElement} */ (b).dataset.smsPreset);
      to.value = context.today;
      const d = new Date(context.today + "T00:00:00Z");
      d.setUTCDate(d.getUTCDate() + 1 - n);
      from.value = d.toISOString().slice(0, 10);
      loadSms();
    });
  }
  const test = document.getElementById("sms-test");
  if (test) test.addEventListener("submit", (ev) => { ev.preventDefault(); sendTest(); });
  loadSms();
  setInterval(() => { if (last && last.to >= context.today) loadSms(); }, TODAY_REFRESH_MS);
}

/**
 * Read the figures again shortly after an event that may have queued a text (a burst costs one read).
 * @param {{ type?: unknown }} msg
 */
export function onSmsMessage(msg) {
  if (!ctx || !section() || soon || !refreshesFigures(msg, last, ctx.today)) return;
  soon = setTimeout(() => { soon = null; loadSms(); }, 2000);
}

/** Read the outbox for the chosen days again (after a test send, or when asked). */
export async function loadSms() {
  if (!ctx || !section()) return;
  const t = ctx.t();
  const { from, to } = fields();
  const checked = rangeQuery({ from: from.value, to: to.value });
  const error = $("sms-error");
  if (!checked.ok) { error.textContent = t(checked.error); return; }
  error.textContent = "";
  const mine = ++asked; // a later question's answer wins over an earlier one still on its way
  try {
    const range = { from: from.value, to: to.value };
    let view;
    try {
      /** @type {Schemas["SmsStats"]} */
      const stats = await api(`/api/sms/stats?${checked.query}`);
      view = statsView(stats, range);
    } catch (e) {
      // A server without the stats route: count the outbox's messages here.
      if (/** @type {import("../common/api.js").ApiError} */ (e).status !== 404) throw e;
      /** @type {Schemas["SmsList"]} */
      const answer = await api(`/api/sms?${checked.query}&limit=1000`);
      view = messagesView(answer.messages, range);
    }
    if (mine !== asked) return;
    last = { ...range, view };
    renderSms();
  } catch (e) {
    if (mine === asked) error.textContent = t("sms_failed_load", { msg: /** @type {Error} */ (e).message });
  }
}

/** Send the test text the admin asked for, and show what became of it. */
async function sendTest() {
  if (!ctx || testing) return;
  const input = $("sms-test-phone", HTMLInputElement);
  const checked = testPhone(input.value);
  if (!checked.ok) {
    testResult = { level: "error", key: checked.error, values: {} };
    renderTest();
    input.focus();
    return;
  }
  testing = true;
  testResult = null;
  renderTest();
  try {
    /** @type {Schemas["SmsTestResult"]} */
    const answer = await api("/api/sms/test", { method: "POST", body: { phone: checked.phone } });
    testResult = testOutcome({ phone: checked.phone.slice(0, 3) + "****" + checked.phone.slice(7), ...(answer || {}) });
    loadSms();
  } catch (e) {
    testResult = { level: "error", key: "sms_test_refused", values: { msg: /** @type {Error} */ (e).message } };
  } finally {
    testing = false;
    renderTest();
  }
}

/** Draw the test form's button and result in the current language. */
function renderTest() {
  if (!ctx || !document.getElementById("sms-test")) return;
  const t = ctx.t();
  const btn = $("sms-test-send", HTMLButtonElement);
  btn.disabled = testing;
  btn.textContent = t(testing ? "sms_test_sending" : "sms_test_send");
  const box = $("sms-test-result");
  box.dataset.level = testResult ? testResult.level : "";
  box.hidden = !testResult;
  box.textContent = testResult && "key" in testResult ? t(testResult.key, testResult.values) : "";
}

/** @param {string} provider */
function providerText(provider) {
  const t = /** @type {Context} */ (ctx).t();
  return provider ? t("sms_provider", { p: t(`sms_p_${provider}`) }) : t("sms_provider_unknown");
}

/** Draw the section from the last answer in the current language. */
export function renderSms() {
  renderTest();
  if (!ctx || !last || !section()) return;
  const t = ctx.t();
  const provider = /** @type {HTMLElement} */ (section()).dataset.provider || "";
  $("sms-provider").textContent = providerText(provider);
  $("sms-provider").dataset.provider = provider;
  const { days, total: sum, failures: failed } = last.view;
  /** @type {{ key: string, label: string, value: string, sub: string, cls?: string }[]} */
  const tiles = [
    { key: "sent", label: t("sms_k_sent"), value: String(sum.sent), sub: "" },
    { key: "failed", label: t("sms_k_failed"), value: String(sum.failed), sub: "", cls: sum.failed ? "alarm" : "" },
    { key: "rate", label: t("sms_k_rate"), value: pctText(sum.rate), sub: t("sms_k_rate_sub") },
    { key: "logged", label: t("sms_k_logged"), value: String(sum.logged), sub: t("sms_k_logged_sub"), cls: "apart" },
    { key: "pending", label: t("sms_k_pending"), value: String(sum.queued), sub: t("sms_k_pending_sub", { d: sum.dropped }) },
  ];
  draw($("sms-kpis"), repeat(tiles, (k) => k.key, (k) => html`<div class="kpi ${k.cls || ""}" data-kpi=${k.key}>
      <div class="label">${k.label}</div><div class="value">${k.value}</div>
      ${k.sub ? html`<div class="sub">${k.sub}</div>` : nothing}</div>`));
  const note = figuresNote(sum, provider);
  const noteBox = $("sms-logged-note");
  noteBox.hidden = !note;
  noteBox.dataset.note = note || "";
  noteBox.textContent = note ? t(note) : "";
  draw($("sms-days").querySelector("tbody") || $("sms-days"), repeat([...days].reverse(), (d) => d.day, (d) => html`<tr data-day=${d.day}>
      <td>${d.day}</td><td class="num">${d.sent}</td><td class="num ${d.failed ? "bad" : ""}">${d.failed}</td>
      <td class="num" data-rate>${pctText(d.rate)}</td><td class="num muted">${d.logged}</td>
      <td class="num">${d.queued}</td><td class="num">${d.dropped}</td></tr>`));
  const shown = failed.slice(0, FAILURES_SHOWN);
  const single = last.from === last.to; // one day: the time alone
  draw($("sms-failures").querySelector("tbody") || $("sms-failures"), shown.length
    ? repeat(shown, (m) => String(m.id), (m) => html`<tr data-sms=${String(m.id)}>
      <td class="when">${single ? "" : hallDay(m.created_at).slice(5) + " "}${hallTime(m.created_at)}</td>
      <td>${t(`sms_kind_${m.kind}`)}</td><td class="phone">${m.phone}</td><td class="num">${m.attempts}</td>
      <td class="reason">${m.reason || t("sms_reason_unknown")}</td></tr>`)
    : html`<tr><td colspan="5" class="none">${t("sms_fail_none")}</td></tr>`);
  // The stats route lists the latest failures only; the total says how many there were.
  const all = Math.max(sum.failed, failed.length);
  $("sms-failures-more").textContent = all > shown.length ? t("sms_more", { n: shown.length, total: all }) : "";
}
