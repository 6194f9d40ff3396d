// @ts-check
// Evaluation pad: wires the pure state (state.js) to the DOM, the API and the hall websocket.
import { adoptFragmentToken, api } from "../common/api.js";
import { $, queryAll } from "../common/dom.js";
import { connectHall } from "../common/hallsocket.js";
import * as S from "./state.js";
import { applyStatic, loadLang, otherLang, saveLang, translator } from "./i18n.js";

const root = document.body;
const number = Number(root.dataset.window);
const token = adoptFragmentToken(`hall.pad.token.${number}`);
let state = S.initialState(number);
let lang = loadLang();
let t = translator(lang);

/** Switch the pad between Chinese and English in place (the screen and the ticket stay), and remember it. */
function toggleLang() {
  lang = otherLang(lang);
  t = translator(lang);
  saveLang(lang);
  applyStatic(document, lang);
  render();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
/** @type {string | null} */
let shownPhase = null;
let sending = false;

/** @param {{ type: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = S.reduce(state, msg);
  render();
  if (state.phase === "sending") send();
}

async function send() {
  const body = S.evaluationBody(state);
  if (!body || sending) return;
  sending = true;
  try {
    await api(`/api/windows/${number}/evaluation`, { method: "POST", body, token });
    sending = false;
    dispatch({ type: "sent" });
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    sending = false;
    dispatch({ type: "send-failed", code: err.code, message: err.message });
  }
}

async function loadWindow() {
  try {
    dispatch({ type: "windows", windows: await api("/api/windows", { token }) });
  } catch (e) {
    const err = /** @type {import("../common/api.js").ApiError} */ (e);
    if (err.status === 401 || err.status === 403) dispatch({ type: "no-token" });
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;
function scheduleWindow() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(loadWindow, 150);
}

function render() {
  // Each resident starts in Chinese: after one chose English, the pad returns to Chinese when idle.
  if (state.phase === "idle" && shownPhase !== null && shownPhase !== "idle" && lang !== "zh") {
    lang = "zh";
    t = translator(lang);
    saveLang(lang);
    applyStatic(document, lang);
  }
  root.dataset.phase = state.phase;
  for (const el of queryAll("[data-screen]")) {
    el.hidden = el.dataset.screen !== (state.noToken ? "setup" : state.phase === "sending" ? ((state.grade ?? 5) <= 2 ? "reason" : "prompt") : state.phase);
  }
  const info = state.info;
  $("clerk").textContent = info && info.clerk && info.status !== "closed" ? t("clerk", { name: info.clerk.display_name }) : "";
  $("wstatus").textContent = !info ? "" : t(info.status === "closed" ? "ws_closed" : info.status === "paused" ? "ws_paused" : "ws_open");
  const wname = $("wname");
  wname.textContent = (lang === "en" && wname.dataset.nameEn) || wname.dataset.name || "";
  $("conn").hidden = state.connected;
  for (const n of queryAll("[data-ticket-number]")) n.textContent = state.ticket ? state.ticket.number : "";
  for (const b of queryAll("[data-grade]", HTMLButtonElement)) b.disabled = state.phase === "sending";
  for (const b of queryAll("[data-reason]")) {
    const on = state.reasons.includes(b.dataset.reason || "");
    b.classList.toggle("on", on);
    b.setAttribute("aria-pressed", on ? "true" : "false");
  }
  $("submit-reasons", HTMLButtonElement).disabled = state.reasons.length === 0 || state.phase === "sending";
  $("chosen").textContent = S.gradeLabel(state.grade, lang);
  $("message").textContent = S.messageText(state, lang);
  $("thanks-note").textContent = S.messageText(state, lang);
  if (shownPhase !== state.phase) {
    shownPhase = state.phase;
    clearTimeout(timer);
    const ms = S.TIMEOUTS[state.phase];
    if (ms) {
      const phase = state.phase;
      timer = setTimeout(() => dispatch({ type: "timeout", phase }), ms);
    }
  }
}

$("lang-toggle").addEventListener("click", toggleLang);
applyStatic(document, lang);

document.addEventListener("click", (ev) => {
  const target = /** @type {Element} */ (ev.target);
  const g = /** @type {HTMLButtonElement | null} */ (target.closest("[data-grade]"));
  if (g && !g.disabled) { dispatch({ type: "grade", grade: Number(g.dataset.grade) }); return; }
  const r = /** @type {HTMLElement | null} */ (target.closest("[data-reason]"));
  if (r) { dispatch({ type: "toggle-reason", reason: r.dataset.reason }); return; }
  if (target.closest("#submit-reasons")) { dispatch({ type: "submit-reasons" }); return; }
  if (target.closest("#back")) dispatch({ type: "back" });
});

if (!token) {
  dispatch({ type: "no-token" });
} else {
  render();
  loadWindow();
  connectHall({
    onMessage: (m) => {
      dispatch({ type: "hall", msg: m });
      if (S.needsWindowRefresh(m, number)) scheduleWindow();
    },
    onStatus: (ok) => { dispatch({ type: "socket", connected: ok }); if (ok) scheduleWindow(); },
  });
  setInterval(loadWindow, 60000);
}
