// @ts-check
// /m/t/{id}?token=…: my ticket, followed live over /ws/tickets/{id}; alert when called.

import { api } from "../common/api.js";
import { $, draw, html } from "../common/dom.js";
import { socketUrl } from "../common/hall.js";
import { backoffDelay } from "../common/hallsocket.js";
import { setupLang } from "./i18n.js";
import { initialState, reduce, view, etaText, servesNow, ticketMoved, windowList } from "./state.js";
import * as store from "./store.js";
import { chime, soundBlocked, unlockSound, vibrate } from "./alert.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

const { t } = setupLang();
const id = $("ticket").dataset.ticketId || "";
const params = new URLSearchParams(location.search);
let token = params.get("token") || store.token(id);
let state = initialState({ seenCalls: store.seenCalls(id), evaluated: store.evaluated(id) });
let lastAlerted = 0;
let windowsAsking = false; // a question about the windows is on its way
let windowsAgain = false; // and another is due once it is answered
// How often a waiting ticket rechecks the windows: often until one is known open, since the first in
// line's estimate (0) does not change when one opens, so no ticket message says so.
const WINDOWS_EVERY_MS = { closed: 15_000, open: 60_000 };

if (token && !params.get("token")) {
  // Put the token back into the address so a bookmark or a shared-to-self link keeps working.
  params.set("token", token);
  history.replaceState(null, "", `${location.pathname}?${params.toString()}`);
}

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  const before = state.ticket;
  state = reduce(state, msg);
  if (state.ticket && token) {
    store.keep({ id: state.ticket.id, token, number: state.ticket.number, status: state.ticket.status,
      day: String(state.ticket.issued_at).slice(0, 10), service_name: state.ticket.service_name });
  }
  store.setSeenCalls(id, state.seenCalls);
  render();
  // A window opening moves the estimate, so the ticket moves: ask again then. Once one is
  // open, only closing is left to notice, and the minute's check does that.
  if (msg.type === "ticket" && state.windowsOpen !== true && ticketMoved(before, state.ticket)) checkWindows();
}

/** Ask the hall whether a window that serves this waiting ticket is open. */
async function checkWindows() {
  if (!state.ticket || state.ticket.status !== "waiting") return;
  if (windowsAsking) { windowsAgain = true; return; }
  windowsAsking = true;
  try {
    /** @type {Schemas["QueueSnapshot"]} */
    const queue = await api("/api/queue");
    dispatch({ type: "windows", open: servesNow(queue.windows, state.ticket.windows) });
  } catch (e) {
    // Not known: the page keeps what it shows, and the next change or minute asks again.
  } finally {
    windowsAsking = false;
    if (windowsAgain) { windowsAgain = false; checkWindows(); }
  }
}

function watchWindows() {
  const wait = state.windowsOpen === true ? WINDOWS_EVERY_MS.open : WINDOWS_EVERY_MS.closed;
  setTimeout(() => { checkWindows().finally(watchWindows); }, wait);
}

function render() {
  const v = view(state);
  $("loading").hidden = v.phase !== "loading";
  if (v.phase === "missing") {
    $("loading").hidden = false;
    $("loading").textContent = t("no_ticket");
    return;
  }
  const tk = state.ticket;
  if (v.phase === "loading" || !tk) return;
  $("ticket").hidden = false;
  $("ticket").dataset.status = tk.status;
  $("t-service").textContent = `${tk.category} · ${tk.service_name || tk.service}`;
  $("t-number").textContent = tk.number;
  $("t-status").textContent = t("st_" + tk.status);
  $("t-status").className = "status st-" + tk.status;
  $("f-ahead").hidden = !v.showFigures;
  $("f-eta").hidden = !v.showFigures;
  $("t-ahead").textContent = t("ahead_n", { n: tk.ahead });
  $("t-eta").textContent = t(...etaText(tk.eta_minutes, tk.ahead, v.notOpen));
  // Where to look first: the windows that serve this in their first tier, else any that can.
  const wins = tk.status === "called" || tk.status === "serving" ? [tk.window || 0]
    : ((tk.preferred_windows && tk.preferred_windows.length) ? tk.preferred_windows : (tk.windows || []));
  $("t-windows").textContent = t("windows_list", { list: windowList(wins) });
  $("f-windows").hidden = !v.active || wins.length === 0;
  /** @type {Record<string, string>} */
  const hints = { waiting: t(v.notOpen ? "hint_not_open" : "hint_waiting"), called: t("hint_called", { w: tk.window }),
    no_show: t("hint_no_show") };
  const hint = hints[tk.status] || "";
  $("t-hint").textContent = hint;
  $("t-hint").hidden = !hint;
  $("t-conn").hidden = !v.offline;
  $("t-conn").textContent = t("conn_lost");
  $("cancel-box").hidden = !v.canCancel;
  $("cancel").hidden = !!v.confirmCancel;
  $("cancel-confirm").hidden = !v.confirmCancel;
  $("evaluate").hidden = !v.canEvaluate;
  $("thanks").hidden = !v.thanks;
  $("new-ticket").hidden = !!v.active;
  $("t-error").hidden = !state.error;
  $("t-error").textContent = state.error || "";
  $("sound-on").hidden = !(v.active && soundBlocked());
  renderAlert(v.alert || null);
  document.title = v.alert ? `🔔 ${tk.number} → ${tk.window}` : `${tk.number} · ${t("st_" + tk.status)}`;
}

/** @param {{ number: string, window: number, callCount: number } | null} alert */
function renderAlert(alert) {
  const box = $("alert");
  box.hidden = !alert;
  document.body.classList.toggle("alerting", !!alert);
  if (!alert) return;
  $("alert-number").textContent = alert.number;
  $("alert-window").textContent = t("alert_window", { w: alert.window });
  $("alert-recall").hidden = alert.callCount < 2;
  $("alert-recall").textContent = t("alert_recall", { n: alert.callCount });
  box.dataset.callCount = String(alert.callCount);
  if (alert.callCount > lastAlerted) {
    lastAlerted = alert.callCount;
    vibrate();
    chime();
  }
}

function connect(attempt = 0) {
  const ws = new WebSocket(socketUrl(`/ws/tickets/${id}?token=${encodeURIComponent(token || "")}`));
  let opened = false;
  ws.onopen = () => { opened = true; attempt = 0; dispatch({ type: "connection", connected: true }); };
  ws.onmessage = (ev) => {
    let msg;
    try { msg = JSON.parse(ev.data); } catch (e) { return; }
    dispatch(msg);
  };
  ws.onclose = (ev) => {
    dispatch({ type: "connection", connected: false });
    if (ev.code === 1008 && !opened && !state.ticket) { dispatch({ type: "missing" }); return; }
    setTimeout(() => connect(attempt + 1), backoffDelay(attempt));
  };
}

async function load() {
  try {
    dispatch({ type: "ticket", ticket: await api(`/api/tickets/${id}?token=${encodeURIComponent(token || "")}`) });
    return true;
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    if (err.status === 403 || err.status === 404 || err.status === 401) { dispatch({ type: "missing" }); return false; }
    dispatch({ type: "error", message: err.message });
    return true;
  }
}

async function cancel() {
  try {
    dispatch({ type: "ticket", ticket: await api(`/api/tickets/${id}/cancel?token=${encodeURIComponent(token || "")}`, { method: "POST" }) });
  } catch (e) {
    dispatch({ type: "error", message: /** @type {Error} */ (e).message });
    load();
  }
}

/** @param {number} grade */
async function evaluate(grade) {
  try {
    await api(`/api/tickets/${id}/evaluation`, { method: "POST", body: { token, grade } });
    store.setEvaluated(id);
    dispatch({ type: "evaluated", grade });
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    if (err.code === "already_evaluated") { store.setEvaluated(id); dispatch({ type: "evaluated" }); }
    else dispatch({ type: "error", message: err.message });
  }
}

function wire() {
  $("alert-ok").addEventListener("click", () => { unlockSound(); dispatch({ type: "dismiss" }); });
  $("cancel").addEventListener("click", () => dispatch({ type: "cancel-ask" }));
  $("cancel-no").addEventListener("click", () => dispatch({ type: "cancel-back" }));
  $("cancel-yes").addEventListener("click", cancel);
  $("sound-on").addEventListener("click", async () => { await unlockSound(); render(); });
  // Phones allow sound only after a tap: any tap on the page unlocks it for the coming call.
  document.addEventListener("pointerdown", () => { unlockSound().then(render); }, { once: true });
  draw($("grades"), [5, 4, 3, 2, 1].map((g) => html`<button type="button" class="btn grade g${g}" data-grade=${g}
    @click=${() => evaluate(g)}>${t("g" + g)}</button>`));
  document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
}

async function main() {
  wire();
  if (!token) { dispatch({ type: "missing" }); return; }
  unlockSound().then(render);
  if (await load()) connect();
  watchWindows();
}

main();
