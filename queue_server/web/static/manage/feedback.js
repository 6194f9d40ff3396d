// The 差评整改 section of /manage: the month's figures, the items to follow, the window ranking.

import { api } from "/static/common/api.js";
import { esc } from "./charts.js";
import {
  ACTION_LABELS, byLabel, checkStep, feedbackTiles, isFeedbackEvent, itemSummary, KIND_LABELS, METHOD_LABELS,
  monthOf, nextActions, rankingRows, shiftMonth, SOURCE_LABELS, STATUS_LABELS,
} from "./feedback_state.js";

const $ = (sel) => document.querySelector(sel);
let timer = null;
let loading = false;
let again = false;
let stale = false; // the list skipped a refresh while a step form was open
const revealed = new Map(); // item id → full phone, shown until the next reload of the page

/** Wire the section (month picker, filters, item actions) and load it. */
export function initFeedback({ today }) {
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
    render(report, list);
  } catch (e) {
    $("#fb-error").textContent = e.message;
  } finally {
    loading = false;
    if (again) { again = false; loadFeedback(); }
  }
}

function render(report, list) {
  $("#fb-kpis").innerHTML = feedbackTiles(report.feedback).map((k) => `<div class="kpi${k.bad ? " warn" : ""}" data-fb-kpi="${k.key}">
    <div class="label">${esc(k.label)}</div><div class="value">${esc(k.value)}</div></div>`).join("");
  $("#fb-count").textContent = `共 ${list.total} 条`;
  // A live refresh must not wipe a note being typed: the list waits until that form is done.
  stale = !!document.querySelector("#fb-items .fb-step:not([hidden])");
  if (!stale) $("#fb-items").innerHTML = list.items.length ? list.items.map(itemHtml).join("")
    : `<li class="none">暂无需要跟进的差评或反映</li>`;
  $("#fb-ranking tbody").innerHTML = rankingRows(report.ranking).map((r) => `<tr data-rank-window="${r.window}">
    <td class="num">${r.rank ?? "—"}</td><td>${esc(r.window)} 号 ${esc(r.name)}</td><td class="num">${r.served}</td>
    <td class="num">${r.grades}</td><td class="num${r.flag ? " bad" : ""}">${esc(r.satisfied)}</td>
    <td class="num${r.bad ? " bad" : ""}">${r.bad}</td><td class="num${r.overdue ? " bad" : ""}">${r.overdue}</td></tr>`).join("");
}

function itemHtml(item) {
  const phone = revealed.get(item.id) || item.phone;
  const reasons = item.reasons.length ? `<p class="fb-reasons">${item.reasons.map((r) => `<span>${esc(r)}</span>`).join("")}</p>` : "";
  const history = item.history.map((h) => `<li><b>${esc(STATUS_LABELS[h.status])}</b> ${esc(h.at.slice(0, 16).replace("T", " "))}
    · ${esc(byLabel(h.by))}${h.method ? ` · ${esc(METHOD_LABELS[h.method])}` : ""}${h.note ? `<br>${esc(h.note)}` : ""}</li>`).join("");
  const actions = nextActions(item.status).map((a) => `<button type="button" data-fb-action="${a}">${esc(ACTION_LABELS[a])}</button>`).join("");
  return `<li class="fb-item st-${item.status}${item.overdue ? " overdue" : ""}" data-feedback="${item.id}" data-status="${item.status}">
    <div class="fb-head"><span class="fb-kind k-${item.kind}">${esc(KIND_LABELS[item.kind])}</span>
      <b class="fb-number">${esc(item.number)}</b>
      <span class="fb-status">${esc(STATUS_LABELS[item.status])}</span>
      ${item.overdue ? `<span class="fb-late">已逾期</span>` : ""}
      <span class="fb-due">期限 ${esc(item.due_date)}</span></div>
    <p class="fb-summary">${esc(itemSummary(item))}${item.source ? ` <small>（${esc(SOURCE_LABELS[item.source])}）</small>` : ""}</p>
    ${reasons}${item.comment ? `<p class="fb-comment">${esc(item.comment)}</p>` : ""}
    <p class="fb-phone">联系电话：${phone ? `<span class="phone">${esc(phone)}</span>` : "未留"}
      ${phone && !revealed.has(item.id) ? `<button type="button" class="link" data-fb-reveal>查看完整号码</button>` : ""}</p>
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
  form.dataset.action = action;
  form.innerHTML = `${action === "visit" ? `<label>回访方式 <select name="method"><option value="phone">电话回访</option>
      <option value="in_person">当面回访</option></select></label>` : ""}
    <label>${esc(ACTION_LABELS[action])}说明 <textarea name="note" rows="2" maxlength="500" required></textarea></label>
    <p class="error" role="alert"></p>
    <button type="submit">确定${esc(ACTION_LABELS[action])}</button> <button type="button" data-fb-cancel>取消</button>`;
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
  const id = Number(form.closest("[data-feedback]").dataset.feedback);
  const action = form.dataset.action;
  const body = { note: form.elements.note.value.trim() };
  if (form.elements.method) body.method = form.elements.method.value;
  const problem = checkStep(action, body);
  if (problem) { form.querySelector(".error").textContent = problem; return; }
  try {
    await api(`/api/feedback/${id}/${action}`, { method: "POST", body });
    form.hidden = true;
    loadFeedback();
  } catch (e) {
    form.querySelector(".error").textContent = e.message;
  }
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
