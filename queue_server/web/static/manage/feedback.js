// @ts-check
// The 差评整改 section of /manage: the month's figures, the items to follow, the window ranking.

import { api } from "../common/api.js";
import { $, draw, html, nothing, query, repeat } from "../common/dom.js";
import { translator } from "./i18n.js";
import {
  byLabel, checkStep, fbLabel, feedbackTiles, isFeedbackEvent, itemSummary, monthOf, nextActions, rankingRows, shiftMonth,
} from "./feedback_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */
/** @typedef {Schemas["FeedbackPublic"]} Item */
/** @typedef {import("../common/i18n.js").Translate} Translate */

/** @type {ReturnType<typeof setTimeout> | null} */
let timer = null;
let loading = false;
let again = false;
/** @type {Map<number, string>} item id → full phone, shown until the next reload of the page */
const revealed = new Map();
/** @type {Map<number, { action: string, error: string }>} item id → the step form open under it */
const steps = new Map();
/**
 * Items whose step is being saved ("sending"), or saved and waiting for the list to be read again
 * ("sent"): their buttons wait, so a second step is not clicked into the form of the first.
 * @type {Map<number, "sending" | "sent">}
 */
const saving = new Map();
/** @type {{ lang: () => string, t: () => Translate }} the page's language, read at each render */
let ctx = { lang: () => "zh", t: () => translator("zh") };
/** @type {{ report: Schemas["MonthlyReport"], list: Schemas["FeedbackList"] } | null} the last answers */
let last = null;

/** The month and filter forms' fields. */
function fields() {
  const month = $("fb-month", HTMLFormElement);
  const filter = $("fb-filter", HTMLFormElement);
  return {
    month,
    monthInput: /** @type {HTMLInputElement} */ (month.elements.namedItem("month")),
    status: /** @type {HTMLSelectElement} */ (filter.elements.namedItem("status")),
    overdue: /** @type {HTMLInputElement} */ (filter.elements.namedItem("overdue")),
  };
}

/**
 * Wire the section (month picker, filters, item actions) and load it.
 * @param {{ today: string, lang?: () => string, t?: () => Translate }} context
 */
export function initFeedback({ today, lang, t }) {
  if (lang && t) ctx = { lang, t };
  if (!document.getElementById("fb-month")) return;
  const { month, monthInput } = fields();
  monthInput.value = monthOf(today);
  month.addEventListener("submit", (ev) => { ev.preventDefault(); loadFeedback(); });
  for (const b of document.querySelectorAll("[data-fb-shift]")) {
    const shift = Number(/** @type {HTMLElement} */ (b).dataset.fbShift);
    b.addEventListener("click", () => {
      monthInput.value = shiftMonth(monthInput.value || monthOf(today), shift);
      loadFeedback();
    });
  }
  $("fb-filter").addEventListener("change", () => loadFeedback());
  $("fb-items").addEventListener("click", onItemClick);
  $("fb-items").addEventListener("submit", onStepSubmit);
  loadFeedback();
}

/**
 * Refresh shortly after a feedback event or a new grade (a burst of events costs one refresh).
 * @param {{ type?: unknown }} msg
 */
export function onFeedbackMessage(msg) {
  if (!document.getElementById("fb-month") || !isFeedbackEvent(msg) || timer) return;
  timer = setTimeout(() => { timer = null; loadFeedback(); }, 500);
}

async function loadFeedback() {
  if (loading) { again = true; return; }
  loading = true;
  const { monthInput, status, overdue } = fields();
  // Steps saved before this read began are in its answer: their items stop waiting when it arrives.
  const settled = [...saving].filter(([, phase]) => phase === "sent").map(([id]) => id);
  const q = new URLSearchParams({ limit: "100" });
  if (status.value) q.set("status", status.value);
  if (overdue.checked) q.set("overdue", "true");
  $("fb-error").textContent = "";
  try {
    const [report, list] = await Promise.all([
      api(`/api/stats/feedback/monthly?month=${encodeURIComponent(monthInput.value)}`), api(`/api/feedback?${q}`)]);
    last = { report, list };
    for (const id of settled) saving.delete(id);
    render();
  } catch (e) {
    $("fb-error").textContent = /** @type {Error} */ (e).message;
  } finally {
    loading = false;
    if (again) { again = false; loadFeedback(); }
  }
}

/** Draw the section again from the last answers, in the current language (a step form being typed stays). */
export function renderFeedback() {
  render();
}

function render() {
  if (!last) return;
  const { report, list } = last;
  const t = ctx.t();
  draw($("fb-kpis"), repeat(feedbackTiles(report.feedback, ctx.lang()), (k) => k.key, (k) => html`<div
    class="kpi${k.bad ? " warn" : ""}" data-fb-kpi=${k.key}><div class="label">${k.label}</div><div class="value">${k.value}</div></div>`));
  $("fb-count").textContent = t("fb_count", { n: list.total });
  // Items are keyed: a live refresh redraws around an open step form, and the note being typed stays.
  draw($("fb-items"), list.items.length ? repeat(list.items, (item) => item.id, itemView)
    : html`<li class="none">${t("fb_none")}</li>`);
  const ranking = /** @type {HTMLElement} */ ($("fb-ranking").querySelector("tbody"));
  draw(ranking, repeat(rankingRows(report.ranking), (r) => r.window, (r) => html`<tr data-rank-window=${r.window}>
    <td class="num">${r.rank ?? "—"}</td><td>${t("fb_window_name", { n: r.window, name: r.name })}</td><td class="num">${r.served}</td>
    <td class="num">${r.grades}</td><td class="num${r.flag ? " bad" : ""}">${r.satisfied}</td>
    <td class="num${r.bad ? " bad" : ""}">${r.bad}</td><td class="num${r.overdue ? " bad" : ""}">${r.overdue}</td></tr>`));
}

/** @param {Item} item */
function itemView(item) {
  const lang = ctx.lang();
  const t = ctx.t();
  const phone = revealed.get(item.id) || item.phone;
  const busy = saving.has(item.id);
  const reasons = item.reasons.length ? html`<p class="fb-reasons">${item.reasons.map((r) => html`<span>${r}</span>`)}</p>` : nothing;
  const history = item.history.map((h) => html`<li><b>${fbLabel("status", h.status, lang)}</b> ${h.at.slice(0, 16).replace("T", " ")}
    · ${byLabel(h.by, lang)}${h.method ? ` · ${fbLabel("method", h.method, lang)}` : ""}${h.note ? html`<br>${h.note}` : nothing}</li>`);
  const actions = nextActions(item.status).map((a) => html`<button type="button" data-fb-action=${a}
    ?disabled=${busy}>${fbLabel("action", a, lang)}</button>`);
  return html`<li class="fb-item st-${item.status}${item.overdue ? " overdue" : ""}${busy ? " saving" : ""}" data-feedback=${item.id} data-status=${item.status}>
    <div class="fb-head"><span class="fb-kind k-${item.kind}">${fbLabel("kind", item.kind, lang)}</span>
      <b class="fb-number">${item.number}</b>
      <span class="fb-status">${fbLabel("status", item.status, lang)}</span>
      ${item.overdue ? html`<span class="fb-late">${t("fb_late")}</span>` : nothing}
      <span class="fb-due">${t("fb_due", { date: item.due_date })}</span></div>
    <p class="fb-summary">${itemSummary(item, lang)}${item.source ? html` <small>${t("fb_source", { s: fbLabel("source", item.source, lang) })}</small>` : nothing}</p>
    ${reasons}${item.comment ? html`<p class="fb-comment">${item.comment}</p>` : nothing}
    <p class="fb-phone">${t("fb_phone")}${phone ? html`<span class="phone">${phone}</span>` : t("fb_no_phone")}
      ${phone && !revealed.has(item.id) ? html`<button type="button" class="link" data-fb-reveal ?disabled=${busy}>${t("fb_reveal")}</button>` : nothing}</p>
    <ol class="fb-history">${history}</ol>
    <div class="fb-actions">${actions}</div>
    ${stepForm(item.id, busy)}</li>`;
}

/**
 * The form of the step opened under an item: a note (and for a visit, how), confirm and cancel.
 * @param {number} id
 * @param {boolean} busy
 */
function stepForm(id, busy) {
  const step = steps.get(id);
  if (!step) return html`<form class="fb-step" hidden></form>`;
  const lang = ctx.lang();
  const t = ctx.t();
  const name = fbLabel("action", step.action, lang);
  // Keyed by the action: another step's form starts empty, the same one keeps its note.
  return repeat([step.action], (a) => a, (action) => html`<form class="fb-step" data-action=${action}>${action === "visit"
    ? html`<label>${t("fb_method")} <select name="method"><option value="phone">${fbLabel("method", "phone", lang)}</option>
      <option value="in_person">${fbLabel("method", "in_person", lang)}</option></select></label>` : nothing}
    <label>${t("fb_step_note", { action: name })} <textarea name="note" rows="2" maxlength="500" required></textarea></label>
    <p class="error" role="alert">${step.error}</p>
    <button type="submit" ?disabled=${busy}>${t("fb_confirm", { action: name })}</button> <button type="button" data-fb-cancel
      ?disabled=${busy}>${t("fb_cancel")}</button></form>`);
}

/** @param {MouseEvent} ev */
function onItemClick(ev) {
  const target = /** @type {Element} */ (ev.target);
  const li = /** @type {HTMLElement | null} */ (target.closest("[data-feedback]"));
  if (!li) return;
  const id = Number(li.dataset.feedback);
  if (target.closest("[data-fb-reveal]")) { reveal(id); return; }
  if (target.closest("[data-fb-cancel]")) { steps.delete(id); render(); return; }
  const b = /** @type {HTMLElement | null} */ (target.closest("[data-fb-action]"));
  if (!b || saving.has(id)) return;
  steps.set(id, { action: b.dataset.fbAction || "", error: "" });
  render();
  const note = query(`[data-feedback="${id}"] textarea[name=note]`, HTMLTextAreaElement);
  if (note) note.focus();
}

/** @param {SubmitEvent} ev */
async function onStepSubmit(ev) {
  ev.preventDefault();
  const form = /** @type {HTMLFormElement} */ (ev.target);
  const li = /** @type {HTMLElement} */ (form.closest("[data-feedback]"));
  const id = Number(li.dataset.feedback);
  const step = steps.get(id);
  if (!step || saving.has(id)) return;
  const note = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("note"));
  const method = /** @type {HTMLSelectElement | null} */ (form.elements.namedItem("method"));
  /** @type {{ note: string, method?: string }} */
  const body = { note: note.value.trim() };
  if (method) body.method = method.value;
  const problem = checkStep(step.action, body, ctx.lang());
  if (problem) { step.error = problem; render(); return; }
  // While the step is saved, the item's buttons wait: a second step clicked now would be drawn
  // into this form and then hidden with it. After a save the item waits for the redraw.
  step.error = "";
  saving.set(id, "sending");
  render();
  try {
    await api(`/api/feedback/${id}/${step.action}`, { method: "POST", body });
    steps.delete(id);
    saving.set(id, "sent");
    render();
    loadFeedback();
  } catch (e) {
    saving.delete(id);
    step.error = /** @type {Error} */ (e).message;
    render();
  }
}

/** @param {number} id */
async function reveal(id) {
  try {
    const r = await api(`/api/feedback/${id}/phone`, { method: "POST" });
    revealed.set(id, r.phone);
    loadFeedback();
  } catch (e) {
    $("fb-error").textContent = /** @type {Error} */ (e).message;
  }
}
