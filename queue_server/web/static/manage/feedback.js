// The 差评整改 section of /manage: the month's figures, the items to follow, the window ranking.

import { api } from "/static/common/api.js";
import { esc } from "./charts.js";
import { translator } from "./i18n.js";
import {
  byLabel, checkStep, fbLabel, feedbackTiles, isFeedbackEvent, itemSummary, monthOf, nextActions, rankingRows, shiftMonth,
} from "./feedback_state.js";

const $ = (sel) => document.querySelector(sel);
let timer = null;
let loading = false;
let again = false;
let stale = false; // the list skipped a refresh while a step form was open
const revealed = new Map(); // item id → full phone, shown until the next reload of the page
let ctx = { lang: () => "zh", t: () => translator("zh") }; // the page's language, read at each render
let last = null; // the last answers, kept to re-render on a language switch

/** Wire the section (month picker, filters, item actions) and load it. */
export function initFeedback({ today, lang, t }) {
  if (lang && t) ctx = { lang, t };
  const form = $("#fb-month");
  if (!form) return;
  form.elements.month.value = monthOf(today);
  form.addEventListener("submit", (ev) => { ev.preventDefault(); loadFeedback(); });
  for (const b of document.querySelectorAll("[data-fb-shift]")) {
    b.addEventListener("click", () => {
      form.elements.month.value = shiftMonth(form.elements.month.value || monthOf(today), Number(b.dataset.fbShift));
      loadFeedback();
    });
  }
  $("#fb-filter").addEventListener("change", () => loadFeedback());
  $("#fb-items").addEventListener("click", onItemClick);
  $("#fb-items").addEventListener("submit", onStepSubmit);
  loadFeedback();
}

/** Refresh shortly after a feedback event or a new grade (a burst of events costs one refresh). */
export function onFeedbackMessage(msg) {
  if (!$("#fb-month") || !isFeedbackEvent(msg) || timer) return;
  timer = setTimeout(() => { timer = null; loadFeedback(); }, 500);
}

async function loadFeedback() {
  if (loading) { again = true; return; }
  loading = true;
  const month = $("#fb-month").elements.month.value;
  const filter = $("#fb-filter").elements;
  const q = new URLSearchParams({ limit: "100" });
  if (filter.status.value) q.set("status", filter.status.value);
  if (filter.overdue.checked) q.set("overdue", "true");
  $("#fb-error").textContent = "";
  try {
    const [report, list] = await Promise.all([
      api(`/api/stats/feedback/monthly?month=${encodeURIComponent(month)}`), api(`/api/feedback?${q}`)]);
    last = { report, list };
    render(report, list);
  } catch (e) {
    $("#fb-error").textContent = e.message;
  } finally {
    loading = false;
    if (again) { again = false; loadFeedback(); }
  }
}

/** Draw the section again from the last answers, in the current language (a step form being typed stays). */
export function renderFeedback() {
  if (last) render(last.report, last.list);
}

function render(report, list) {
  const t = ctx.t();
  $("#fb-kpis").innerHTML = feedbackTiles(report.feedback, ctx.lang()).map((k) => `<div class="kpi${k.bad ? " warn" : ""}" data-fb-kpi="${k.key}">
    <div class="label">${esc(k.label)}</div><div class="value">${esc(k.value)}</div></div>`).join("");
  $("#fb-count").textContent = t("fb_count", { n: list.total });
  // A live refresh must not wipe a note being typed: the list waits until that form is done.
  stale = !!document.querySelector("#fb-items .fb-step:not([hidden])");
  if (!stale) $("#fb-items").innerHTML = list.items.length ? list.items.map(itemHtml).join("")
    : `<li class="none">${esc(t("fb_none"))}</li>`;
  $("#fb-ranking tbody").innerHTML = rankingRows(report.ranking).map((r) => `<tr data-rank-window="${r.window}">
    <td class="num">${r.rank ?? "—"}</td><td>${esc(t("fb_window_name", { n: r.window, name: r.name }))}</td><td class="num">${r.served}</td>
    <td class="num">${r.grades}</td><td class="num${r.flag ? " bad" : ""}">${esc(r.satisfied)}</td>
    <td class="num${r.bad ? " bad" : ""}">${r.bad}</td><td class="num${r.overdue ? " bad" : ""}">${r.overdue}</td></tr>`).join("");
}

function itemHtml(item) {
  const lang = ctx.lang();
  const t = ctx.t();
  const phone = revealed.get(item.id) || item.phone;
  const reasons = item.reasons.length ? `<p class="fb-reasons">${item.reasons.map((r) => `<span>${esc(r)}</span>`).join("")}</p>` : "";
  const history = item.history.map((h) => `<li><b>${esc(fbLabel("status", h.status, lang))}</b> ${esc(h.at.slice(0, 16).replace("T", " "))}
    · ${esc(byLabel(h.by, lang))}${h.method ? ` · ${esc(fbLabel("method", h.method, lang))}` : ""}${h.note ? `<br>${esc(h.note)}` : ""}</li>`).join("");
  const actions = nextActions(item.status).map((a) => `<button type="button" data-fb-action="${a}">${esc(fbLabel("action", a, lang))}</button>`).join("");
  return `<li class="fb-item st-${item.status}${item.overdue ? " overdue" : ""}" data-feedback="${item.id}" data-status="${item.status}">
    <div class="fb-head"><span class="fb-kind k-${item.kind}">${esc(fbLabel("kind", item.kind, lang))}</span>
      <b class="fb-number">${esc(item.number)}</b>
      <span class="fb-status">${esc(fbLabel("status", item.status, lang))}</span>
      ${item.overdue ? `<span class="fb-late">${esc(t("fb_late"))}</span>` : ""}
      <span class="fb-due">${esc(t("fb_due", { date: item.due_date }))}</span></div>
    <p class="fb-summary">${esc(itemSummary(item, lang))}${item.source ? ` <small>${esc(t("fb_source", { s: fbLabel("source", item.source, lang) }))}</small>` : ""}</p>
    ${reasons}${item.comment ? `<p class="fb-comment">${esc(item.comment)}</p>` : ""}
    <p class="fb-phone">${esc(t("fb_phone"))}${phone ? `<span class="phone">${esc(phone)}</span>` : esc(t("fb_no_phone"))}
      ${phone && !revealed.has(item.id) ? `<button type="button" class="link" data-fb-reveal>${esc(t("fb_reveal"))}</button>` : ""}</p>
    <ol class="fb-history">${history}</ol>
    <div class="fb-actions">${actions}</div>
    <form class="fb-step" hidden></form></li>`;
}

function onItemClick(ev) {
  const li = ev.target.closest("[data-feedback]");
  if (!li) return;
  const id = Number(li.dataset.feedback);
  if (ev.target.closest("[data-fb-reveal]")) { reveal(id); return; }
  const b = ev.target.closest("[data-fb-action]");
  if (!b) return;
  const action = b.dataset.fbAction;
  const form = li.querySelector(".fb-step");
  const lang = ctx.lang();
  const t = ctx.t();
  const name = fbLabel("action", action, lang);
  form.dataset.action = action;
  form.innerHTML = `${action === "visit" ? `<label>${esc(t("fb_method"))} <select name="method"><option value="phone">${esc(fbLabel("method", "phone", lang))}</option>
      <option value="in_person">${esc(fbLabel("method", "in_person", lang))}</option></select></label>` : ""}
    <label>${esc(t("fb_step_note", { action: name }))} <textarea name="note" rows="2" maxlength="500" required></textarea></label>
    <p class="error" role="alert"></p>
    <button type="submit">${esc(t("fb_confirm", { action: name }))}</button> <button type="button" data-fb-cancel>${esc(t("fb_cancel"))}</button>`;
  form.hidden = false;
  form.querySelector("[data-fb-cancel]").addEventListener("click", () => {
    form.hidden = true;
    if (stale) loadFeedback();
  });
  form.elements.note.focus();
}

async function onStepSubmit(ev) {
  ev.preventDefault();
  const form = ev.target;
  const li = form.closest("[data-feedback]");
  const id = Number(li.dataset.feedback);
  const action = form.dataset.action;
  const body = { note: form.elements.note.value.trim() };
  if (form.elements.method) body.method = form.elements.method.value;
  const problem = checkStep(action, body, ctx.lang());
  if (problem) { form.querySelector(".error").textContent = problem; return; }
  // While the step is saved, the item's buttons wait: a second step clicked now would be drawn
  // into this form and then hidden with it. After a save the item waits for the redraw.
  setBusy(li, true);
  try {
    await api(`/api/feedback/${id}/${action}`, { method: "POST", body });
    form.hidden = true;
    loadFeedback();
  } catch (e) {
    setBusy(li, false);
    form.querySelector(".error").textContent = e.message;
  }
}

function setBusy(li, busy) {
  li.classList.toggle("saving", busy);
  for (const b of li.querySelectorAll("button")) b.disabled = busy;
}

async function reveal(id) {
  try {
    const r = await api(`/api/feedback/${id}/phone`, { method: "POST" });
    revealed.set(id, r.phone);
    loadFeedback();
  } catch (e) {
    $("#fb-error").textContent = e.message;
  }
}
