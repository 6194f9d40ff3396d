// @ts-check
// Clerk console: wires the pure state (state.js) to the DOM, the API and the hall websocket.
import { api } from "../common/api.js";
import { $, draw, html, live, nothing, query, repeat, translated } from "../common/dom.js";
import { connectHall } from "../common/hallsocket.js";
import * as S from "./state.js";
import { applyStatic, loadLang, otherLang, saveLang, translator } from "./i18n.js";
import { casesContext, casesOnHall, initCases } from "./cases.js";
import { helpPanel } from "../common/help.js";

/** @typedef {S.Win} Win */
/** @typedef {S.Ticket} Ticket */

/** @type {S.ClerkState} */
let state = { ...S.initialState(), lang: loadLang() };
let t = translator(state.lang);
const help = helpPanel($("help-calls"), () => state.lang);

/** @param {S.Msg} msg */
function dispatch(msg) {
  state = S.reduce(state, msg);
  t = translator(state.lang);
  render();
}

/** Switch the console between Chinese and English in place, and remember the choice. */
function toggleLang() {
  const next = otherLang(state.lang);
  saveLang(next);
  applyStatic(document, next);
  dispatch({ type: "lang", lang: next });
}

// ---- data loading ---------------------------------------------------------

/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;
let refreshSeq = 0;
let actionEpoch = 0;

function scheduleRefresh(delay = 120) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, delay);
}

async function refresh() {
  if (!state.me) return;
  const mySeq = ++refreshSeq;
  const epoch = actionEpoch;
  try {
    /** @type {Win[]} */
    const windows = await api("/api/windows");
    if (mySeq !== refreshSeq) return;
    if (epoch !== actionEpoch) { scheduleRefresh(0); return; }
    dispatch({ type: "windows", windows });
    const n = state.windowNo;
    if (n !== null && S.holdsWindow(state)) {
      /** @type {Ticket[]} */
      const queue = await api(`/api/windows/${n}/queue`);
      if (mySeq !== refreshSeq) return;
      if (epoch !== actionEpoch) { scheduleRefresh(0); return; }
      dispatch({ type: "queue", window: n, queue });
    }
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    if (err.status === 401) { dispatch({ type: "logged-out" }); return; }
    if (mySeq === refreshSeq) dispatch({ type: "failed", action: "refresh", code: err.code, message: err.message });
  }
}

async function loadCatalog() {
  try { dispatch({ type: "catalog", catalog: await api("/api/catalog") }); } catch (e) { /* retried on next login */ }
}

async function whoAmI() {
  try {
    /** @type {S.Me} */
    const me = await api("/api/auth/me");
    if (me.kind !== "user") { dispatch({ type: "logged-out" }); return; }
    dispatch({ type: "me", me });
    help.start();
    startLive();
    await refresh();
  } catch (e) {
    dispatch({ type: "logged-out" });
  }
}

/** @type {ReturnType<typeof connectHall> | null} */
let hall = null;
function startLive() {
  if (hall) return;
  hall = connectHall({
    onMessage: (m) => {
      dispatch({ type: "hall", msg: m });
      if (S.needsRefresh(m)) scheduleRefresh();
      casesOnHall(m);
      help.onHall(m);
    },
    onStatus: (ok) => { dispatch({ type: "socket", connected: ok }); if (ok) { scheduleRefresh(0); help.reload(); } },
  });
}

// ---- actions ----------------------------------------------------------------

const REFRESH_CODES = new Set(["ticket_not_waiting", "no_current_ticket", "invalid_state", "window_busy",
  "window_closed", "forbidden", "conflict", "not_found"]);

/**
 * Send one window action and fold its answer in.
 * @param {string} action
 * @param {{ window?: number, body?: unknown }} [options]
 */
async function act(action, { window: win, body } = {}) {
  if (state.pending) return;
  const n = win ?? state.windowNo;
  if (n === null || n === undefined) return;
  dispatch({ type: "pending", action });
  try {
    const result = await api(`/api/windows/${n}/${action}`, { method: "POST", body });
    actionEpoch += 1;
    dispatch({ type: "done", action, result });
    if (action === "open") dispatch({ type: "select", window: n });
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    actionEpoch += 1;
    if (err.status === 401) { dispatch({ type: "logged-out" }); return; }
    dispatch({ type: "failed", action, code: err.code, message: err.message });
    if (!REFRESH_CODES.has(err.code)) return;
  }
  scheduleRefresh(0);
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let disarmTimer;

/**
 * Carry out a console command from a button (el) or a key (el null).
 * @param {string} action
 * @param {HTMLElement | null} el
 */
function command(action, el) {
  const c = S.controls(state);
  switch (action) {
    case "open":
      act("open", { window: Number(el?.dataset.window ?? state.windowNo) });
      return;
    case "enter":
      dispatch({ type: "select", window: Number(el?.dataset.window) });
      scheduleRefresh(0);
      return;
    case "pause-toggle":
      if (c.pause) act("pause", pauseBody()); else if (c.resume) act("resume");
      return;
    case "pause":
      if (c.pause) act("pause", pauseBody());
      return;
    case "cancel":
      clearTimeout(disarmTimer);
      if (state.dialog) dispatch({ type: "dialog", dialog: null });
      else if (state.armed) dispatch({ type: "disarm" });
      else if (state.error || state.notice) dispatch({ type: "dismiss" });
      return;
    case "no-show":
      if (!c["no-show"]) return;
      if (state.armed !== "no-show") {
        dispatch({ type: "arm", action: "no-show" });
        clearTimeout(disarmTimer);
        disarmTimer = setTimeout(() => dispatch({ type: "disarm" }), 6000);
        return;
      }
      clearTimeout(disarmTimer);
      act("no-show");
      return;
    case "transfer":
      if (el && el.dataset.target) { submitTransfer(el.dataset.target); return; }
      if (c.transfer) dispatch({ type: "dialog", dialog: "transfer" });
      return;
    case "finish":
      if (c.finish) act("finish", { body: { outcome: state.outcome } });
      return;
    case "call":
      if (c.call) act("call", { body: { ticket: Number(el?.dataset.ticket) } });
      return;
    default:
      if (c[action]) act(action);
  }
}

/** The pause reason picked from the fixed list (never typed: it may be shown publicly). */
function pauseBody() {
  const reason = $("pause-reason", HTMLSelectElement).value;
  return reason ? { body: { reason } } : undefined;
}

/** @param {string} target "service" or "window" */
function submitTransfer(target) {
  if (target === "service") {
    const code = $("transfer-service", HTMLSelectElement).value;
    if (code) act("transfer", { body: { service: code } });
  } else {
    const w = Number($("transfer-window", HTMLSelectElement).value);
    if (w) act("transfer", { body: { window: w } });
  }
}

/** @param {SubmitEvent} ev */
async function login(ev) {
  ev.preventDefault();
  const username = $("username", HTMLInputElement).value.trim();
  const password = $("password", HTMLInputElement).value;
  const submit = $("login-submit", HTMLButtonElement);
  submit.disabled = true;
  try {
    await api("/api/auth/login", { method: "POST", body: { username, password } });
    $("password", HTMLInputElement).value = "";
    await whoAmI();
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    dispatch(err.status === 401 ? { type: "login-error", key: "bad_login" } : { type: "login-error", message: err.message });
  } finally {
    submit.disabled = false;
  }
}

async function logout() {
  try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* the cookie is cleared anyway */ }
  if (hall) { hall.stop(); hall = null; }
  help.stop();
  dispatch({ type: "logged-out" });
}

/** @param {SubmitEvent} ev */
async function walkIn(ev) {
  ev.preventDefault();
  if (state.pending) return;
  const service = $("walkin-service", HTMLSelectElement).value;
  const priority = $("walkin-priority", HTMLSelectElement).value;
  /** @type {{ service: string, channel: string, priority?: string }} */
  const body = { service, channel: "counter" };
  if (priority) body.priority = priority;
  dispatch({ type: "pending", action: "walk-in" });
  try {
    const key = `walkin-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const ticket = await api("/api/tickets", { method: "POST", body, headers: { "Idempotency-Key": key } });
    dispatch({ type: "done", action: "walk-in", result: ticket });
    $("walkin-priority", HTMLSelectElement).value = "";
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    dispatch({ type: "failed", action: "walk-in", code: err.code, message: err.message });
  }
  scheduleRefresh(0);
}

/** The last 「登记短信提醒」 answer, for the ticket it was about. */
let smsResult = /** @type {{ ticket: number, ok: boolean, text: string } | null} */ (null);
let smsSending = false;

/** @param {SubmitEvent} ev */
async function registerSms(ev) {
  ev.preventDefault();
  const target = S.smsTarget(state);
  if (!target || smsSending) return;
  const input = $("sms-phone", HTMLInputElement);
  const phone = S.smsPhone(input.value);
  if (!phone) {
    smsResult = { ticket: target.id, ok: false, text: t("sms_bad_phone") };
    render();
    input.focus();
    return;
  }
  smsSending = true;
  smsResult = null;
  render();
  try {
    /** @type {{ ticket: number, phone: string }} */
    const answer = await api(`/api/tickets/${target.id}/sms`, { method: "POST", body: { phone } });
    smsResult = { ticket: target.id, ok: true, text: t("sms_ok", { number: target.number, phone: answer.phone }) };
    input.value = "";
  } catch (e) {
    smsResult = { ticket: target.id, ok: false, text: /** @type {Error} */ (e).message };
  } finally {
    smsSending = false;
    render();
  }
}

function renderSms() {
  const target = S.smsTarget(state);
  if (!target) {
    draw($("sms-reg"), html`<p class="muted small" id="sms-none">${t("sms_none")}</p>`);
    return;
  }
  const result = smsResult && smsResult.ticket === target.id ? smsResult : null;
  // Keyed on the ticket: another ticket gets an empty field.
  draw($("sms-reg"), repeat([target], (x) => x.id, (x) => html`<form class="sms-reg" id="sms-form" data-ticket=${x.id}
      @submit=${registerSms} novalidate>
    <div class="for"><b id="sms-number">${x.number}</b>${t(x.via === "walk-in" ? "sms_via_walkin" : "sms_via_transfer")}</div>
    <div class="row"><input id="sms-phone" type="tel" inputmode="numeric" maxlength="13" autocomplete="off"
      aria-label=${t("sms_phone")} placeholder=${t("sms_phone")}>
    <button type="submit" class="mid" id="sms-submit" ?disabled=${smsSending}>${t(smsSending ? "sms_sending" : "sms_submit")}</button></div>
    ${result ? html`<p class="result ${result.ok ? "ok" : "bad"}" id="sms-result" role="status">${result.text}</p>` : nothing}
  </form>`));
}

// ---- rendering ----------------------------------------------------------------

function render() {
  const me = state.me;
  const w = S.myWindow(state);
  const inConsole = !!me && state.windowNo !== null;
  $("login").hidden = !!me;
  $("chooser").hidden = !me || inConsole;
  $("console").hidden = !inConsole;
  $("logout").hidden = !me;
  $("switch-window").hidden = !inConsole;
  $("me").textContent = me ? `${me.display_name || me.username}` : "";
  $("conn").textContent = t(state.connected ? "conn_on" : "conn_off");
  $("conn").className = "conn " + (state.connected ? "on" : "off");
  $("where").textContent = w ? t("where", { n: w.number, name: S.windowName(state.catalog, w.number, w.name, state.lang) }) : "";
  $("login-error").hidden = !state.loginError;
  $("login-error").textContent = state.loginError || "";

  $("alert").hidden = !state.error;
  if (state.error) {
    $("alert-title").textContent = state.error.title;
    $("alert-detail").textContent = state.error.detail ? t("detail", { d: state.error.detail }) : "";
    $("alert").dataset.code = state.error.code || "";
  }
  $("notice").hidden = !state.notice || !!state.error;
  $("notice").textContent = state.notice || "";

  if (me) help.render(); else help.stop();  // a lapsed login leaves no stale calls on screen
  if (me && !inConsole) renderChooser(me);
  if (inConsole) renderConsole(w);
  renderDialog(w);
  casesContext({ me, windowNo: inConsole && S.holdsWindow(state) ? state.windowNo : null,
    lang: state.lang, ticket: w && w.current ? w.current : null, catalog: state.catalog });
}

/** @param {S.Me} me */
function renderChooser(me) {
  /** @param {Win} w */
  const card = (w) => {
    const holder = w.clerk && w.status !== "closed" ? w.clerk : null;
    const mine = !!holder && holder.username === me.username;
    const cls = mine ? "mine" : holder ? "taken" : "";
    const who = holder ? (mine ? t("mine") : t("used_by", { name: holder.display_name })) : t("free");
    const btn = mine
      ? html`<button type="button" class="mid primary" data-cmd="enter" data-window=${w.number}>${t("enter")}</button>`
      : html`<button type="button" class="mid" data-action="open" data-window=${w.number}>${t("open_this")}</button>`;
    return html`<div class="wincard ${cls}" data-window-card=${w.number}><span class="n">${t("win_no", { n: w.number })}</span>
      <span>${S.windowName(state.catalog, w.number, w.name, state.lang)}</span><span class="muted">${S.codeLabel("ws_", w.status, state.lang)} · ${who}</span>${btn}</div>`;
  };
  draw($("window-grid"), state.windows.length ? repeat(state.windows, (w) => w.number, card)
    : html`<p class="muted">${t("loading_windows")}</p>`);
}

/** @param {Win | null} w */
function renderConsole(w) {
  const c = S.controls(state);
  const holds = S.holdsWindow(state);
  $("win-title").textContent = t("win_title", { n: state.windowNo });
  const status = w ? w.status : "closed";
  $("win-status").textContent = S.codeLabel("ws_", status, state.lang);
  $("win-status").className = "badge " + status;
  $("win-reason").textContent = w && w.pause_reason ? t("pause_reason", { r: w.pause_reason }) : "";
  $("btn-pause").hidden = status === "paused";
  $("btn-resume").hidden = status !== "paused";

  const lost = $("lost");
  if (w && !holds) {
    lost.hidden = false;
    lost.textContent = w.status === "closed"
      ? t("lost_closed", { n: w.number })
      : t("lost_taken", { n: w.number, name: w.clerk ? w.clerk.display_name : t("someone") });
  } else {
    lost.hidden = true;
  }

  for (const action of ["call-next", "recall", "start", "finish", "no-show", "transfer", "pause", "resume", "close"]) {
    const btn = query(`#console [data-action="${action}"]`, HTMLButtonElement);
    if (btn) btn.disabled = !c[action];
  }
  renderSms();
  const armed = state.armed === "no-show";
  $("btn-no-show").classList.toggle("armed", armed);
  draw($("btn-no-show"), html`<span>${t(armed ? "no_show_armed" : "no_show")}</span> <kbd>-</kbd>`);
  const outcome = S.OUTCOMES.some(([o]) => o === state.outcome) ? state.outcome : "done";
  const finishText = outcome === "done" ? t("finish") : t("finish_as", { o: S.codeLabel("o_", outcome, state.lang) });
  draw($("btn-finish"), html`<span>${finishText}</span> <kbd>Enter</kbd>`);
  // A fixed list of four: drawn in order, no keys needed.
  draw($("outcomes"), html`<legend>${t("outcome_legend")}</legend>${S.OUTCOMES.map(([code], i) => html`<label
    class=${state.outcome === code ? "on" : ""}><input type="radio" name="outcome" value=${code}
    .checked=${live(state.outcome === code)}>${S.codeLabel("o_", code, state.lang)} <kbd>${i + 1}</kbd></label>`)}`);

  renderCurrent(w);
  renderQueue(c);
  draw($("last-called"), state.lastCalled.length
    ? repeat(state.lastCalled, (e) => `${e.number}@${e.at}`, (e) => html`<li>${e.number}<small>${clock(e.at)}</small></li>`)
    : html`<li class="none">${t("none_yet")}</li>`);
  renderWalkIn(w);
  draw($("shortcut-table"), S.SHORTCUTS.map((s) =>
    html`<tr><td>${s.keys.map((k, i) => html`${i ? " " : ""}<kbd>${k}</kbd>`)}</td><td>${t(s.text)}</td></tr>`));
}

/** @param {string | null | undefined} iso */
function clock(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d.getTime()) ? "" : d.toTimeString().slice(0, 8);
}

/** Say how long ago a moment was, counting on the browser's clock (redrawn every second). @param {string | null | undefined} iso */
function since(iso) {
  const at = Date.parse(iso || "");
  return isNaN(at) ? "" : S.formatDuration((Date.now() - at) / 1000, state.lang);
}

/** @param {Ticket} tk */
function svcName(tk) {
  return S.serviceName(state.catalog, tk.service, state.lang) || tk.service_name || tk.service;
}

/** The materials the clerk has ticked for the current ticket: a new ticket starts with none. */
const ticks = { ticket: /** @type {number | null} */ (null), keys: new Set() };

/** @param {Win | null} w */
function renderCurrent(w) {
  const tk = w && w.current;
  if (!tk) {
    const paused = w && w.status === "paused";
    draw($("materials"), nothing);
    draw($("current"), html`<div class="empty" data-testid="idle"><div>${paused
      ? html`${t("idle_paused")}<br><small>${t("idle_paused_hint")}</small>`
      : html`${t("idle_none")}<br><small>${t("idle_none_hint", { n: state.queue.length })}</small>`}</div></div>`);
    return;
  }
  const prio = tk.priority ? html`<span class="prio">${S.codeLabel("pr_", tk.priority, state.lang)}</span>` : t("no_prio");
  const catName = S.categoryName(state.catalog, tk.category, state.lang) || tk.category_name || "";
  draw($("current"), html`
    <div class="head">
      <span class="number" id="current-number" data-ticket-id=${tk.id}>${tk.number}</span>
      <span class="svc">${svcName(tk)}</span>
      <span class="status ${tk.status}" id="current-status" data-status=${tk.status}>${S.codeLabel("st_", tk.status, state.lang)}</span>
    </div>
    <div class="facts">
      <div><b>${t("f_waited")}</b>${S.formatDuration(S.waitedSeconds(tk, Date.now()), state.lang)}</div>
      <div><b>${t(tk.status === "serving" ? "f_serving" : "f_called")}</b><span>${since(tk.status === "serving" ? tk.started_at : tk.called_at)}</span></div>
      <div><b>${t("f_prio")}</b>${prio}</div>
      <div><b>${t("f_channel")}</b>${S.codeLabel("ch_", tk.channel, state.lang)}</div>
      <div><b>${t("f_calls")}</b>${tk.call_count ?? 1}</div>
      <div><b>${t("f_category")}</b>${tk.category} ${catName}</div>
      ${tk.applicant ? html`<div class="holder" id="current-holder"><b>${t("f_holder")}</b><span class="holder-name">${
        tk.applicant.name}</span> <span class="holder-id">${tk.applicant.id_number}</span></div>` : nothing}
    </div>`);

  if (ticks.ticket !== tk.id) { ticks.ticket = tk.id; ticks.keys.clear(); }
  const mats = S.materialsFor(state.catalog, tk.service);
  const total = mats.reduce((a, m) => a + m.materials.length, 0);
  const got = ticks.keys.size;
  const tally = total ? t(got === total ? "tally_full" : "tally", { got, total }) : "";
  draw($("materials"), html`<strong>${t("materials")}</strong> <span class="tally" id="material-tally" data-total=${total}>${tally}</span>
    <span class="muted small">${t("materials_hint", { number: tk.number, svc: svcName(tk) })}</span>${mats.length
    ? mats.map((m, i) => html`<h3>${m.matter}</h3><ul>${m.materials.map((x, j) => html`<li><label><input type="checkbox"
        data-material=${`${i}-${j}`} .checked=${live(ticks.keys.has(`${i}-${j}`))}>${x}</label></li>`)}</ul>`)
    : html`<p class="muted">${t("no_materials")}</p>`}`);
}

/** @param {Record<string, boolean>} c */
function renderQueue(c) {
  const q = state.queue;
  const counts = S.queueCounts(q);
  $("queue-count").textContent = String(counts.total);
  const cats = Object.entries(counts.byCategory).map(([k, v]) => t("queue_cat", { k, v })).join(t("list_sep"));
  $("queue-sub").textContent = t("queue_sub") + (counts.total ? t("queue_cats", { list: cats }) : "")
    + (counts.priority ? t("queue_prio", { n: counts.priority }) : "")
    + (counts.transferred ? t("queue_tr", { n: counts.transferred }) : "");
  /** @param {Ticket} tk */
  const row = (tk) => html`<li data-queue-ticket=${tk.id} data-number=${tk.number}><span class="qn">${tk.number}</span>
      <span class="qs">${svcName(tk)}${tk.priority ? html`<span class="tag">${S.codeLabel("pr_", tk.priority, state.lang)}</span>` : nothing}${
        tk.designated_window ? html`<span class="tag tr">${t("tag_tr")}</span>` : nothing}<small>${t("waited")} <span>${since(tk.issued_at)}</span> · ${S.codeLabel("ch_", tk.channel, state.lang)}</small></span>
      <button type="button" class="mid" data-action="call" data-ticket=${tk.id} ?disabled=${!c.call}>${t("call_this")}</button></li>`;
  draw($("queue"), q.length ? repeat(q, (tk) => tk.id, row) : html`<li class="none">${t("nobody")}</li>`);
}

/** Offer every service for a walk-in, this window's own first; the choice stays as the list is redrawn. @param {Win | null} w */
function renderWalkIn(w) {
  if (!state.catalog) return;
  const mine = new Set(w ? w.services : []);
  const opts = S.serviceOptions(state.catalog, state.lang);
  opts.sort((a, b) => Number(mine.has(b.code)) - Number(mine.has(a.code)));
  draw($("walkin-service"), repeat(opts, (o) => o.code, (o) => html`<option value=${o.code}>${o.category} ${o.name}</option>`));
}

let dialogShown = false;
/** @param {Win | null} w */
function renderDialog(w) {
  const tk = w && w.current;
  if (state.dialog !== "transfer" || !w || !tk) {
    draw($("dialog-root"), nothing);
    dialogShown = false;
    return;
  }
  // The dialog stays in the page while open, so its choices survive every redraw (a language switch too).
  const services = S.serviceOptions(state.catalog, state.lang);
  const windows = state.windows.filter((x) => x.number !== w.number);
  const busy = !!state.pending;
  draw($("dialog-root"), html`<div class="backdrop"><div class="dialog" role="dialog" aria-modal="true" aria-labelledby="transfer-title">
    <h2 id="transfer-title">${t("tr_title", { number: tk.number, svc: svcName(tk) })}</h2>
    <p class="muted">${translated(t, "tr_hint", { keep: html`<strong>${t("tr_hint_keep")}</strong>` })}</p>
    <div class="row"><label>${t("tr_to_service")}<select id="transfer-service"><option value="">${t("tr_pick_service")}</option>${
      repeat(services, (o) => o.code, (o) => html`<option value=${o.code} ?disabled=${o.code === tk.service}>${o.category} ${o.name}</option>`)}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="service" ?disabled=${busy}>${t("tr_service_btn")}</button></div>
    <div class="row"><label>${t("tr_to_window")}<select id="transfer-window"><option value="">${t("tr_pick_window")}</option>${
      repeat(windows, (x) => x.number, (x) => html`<option value=${x.number}>${t("tr_window_opt", { n: x.number,
        name: S.windowName(state.catalog, x.number, x.name, state.lang), status: S.codeLabel("ws_", x.status, state.lang),
        clerk: x.clerk ? " · " + x.clerk.display_name : "" })}</option>`)}</select></label>
      <button type="button" class="mid primary" data-action="transfer" data-target="window" ?disabled=${busy}>${t("tr_window_btn")}</button></div>
    <div class="foot"><button type="button" class="mid" data-cmd="cancel">${t("cancel")} <kbd>Esc</kbd></button></div>
  </div></div>`);
  if (!dialogShown) {
    dialogShown = true;
    $("transfer-service").focus();
  }
}

// ---- events ----------------------------------------------------------------------

document.addEventListener("click", (ev) => {
  const target = /** @type {Element | null} */ (ev.target);
  const el = /** @type {HTMLElement | null} */ (target && target.closest("[data-action], [data-cmd]"));
  if (!el || (el instanceof HTMLButtonElement && el.disabled)) return;
  command(el.dataset.action || el.dataset.cmd || "", el);
});

document.addEventListener("change", (ev) => {
  const el = ev.target;
  if (!(el instanceof HTMLInputElement)) return;
  if (el.name === "outcome") dispatch({ type: "outcome", outcome: el.value });
  const key = el.dataset.material;
  if (key !== undefined) {
    if (el.checked) ticks.keys.add(key); else ticks.keys.delete(key);
    render();
  }
});

document.addEventListener("keydown", (ev) => {
  if (!state.me || state.windowNo === null) return;
  const el = ev.target instanceof HTMLElement ? ev.target : null;
  const tag = el ? el.tagName : "";
  const type = el instanceof HTMLInputElement ? el.type : "";
  const inField = ["INPUT", "SELECT", "TEXTAREA"].includes(tag) && type !== "radio" && type !== "checkbox";
  const cmd = S.keyCommand(ev.key, { inField, dialog: state.dialog });
  if (!cmd) return;
  ev.preventDefault();
  if (cmd.action === "outcome") { dispatch({ type: "outcome", outcome: cmd.outcome }); return; }
  command(cmd.action, null);
});

$("login-form").addEventListener("submit", login);
$("lang-toggle").addEventListener("click", toggleLang);
$("walkin-form").addEventListener("submit", walkIn);
$("logout").addEventListener("click", logout);
$("alert-close").addEventListener("click", () => dispatch({ type: "dismiss" }));
$("switch-window").addEventListener("click", () => { dispatch({ type: "leave" }); scheduleRefresh(0); });
// The waiting and serving times count up: draw the console again every second (only what changed moves).
setInterval(() => { if (state.me && state.windowNo !== null) render(); }, 1000);
// A slow safety net: the websocket drives updates, this only repairs a missed one.
setInterval(() => { if (state.me) scheduleRefresh(0); }, 30000);

applyStatic(document, state.lang);
initCases();
render();
loadCatalog();
whoAmI();
