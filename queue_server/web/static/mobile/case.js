// @ts-check
// /m/c/{id}?token=T: the resident follows a case live over /ws/cases/{id}.
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { hallKey, hallUrl, socketUrl } from "../common/hall.js";
import { backoffDelay } from "../common/hallsocket.js";
import { setupLang } from "./i18n.js";
import { applyCaseStatic, caseView, initialCaseState, reduceCase } from "./case_state.js";

const { lang } = setupLang();
const section = $("case");
const caseId = section.dataset.caseId || "";
const STORE = hallKey("hall.mobile.cases");

applyCaseStatic(document, lang, "ci18n");

/** Take the token from the address, else from this phone's memory of the case. */
function token() {
  const fromUrl = new URLSearchParams(location.search).get("token");
  /** @type {Record<string, string>} */
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { saved = {}; }
  if (fromUrl) {
    saved[caseId] = fromUrl;
    try { localStorage.setItem(STORE, JSON.stringify(Object.fromEntries(Object.entries(saved).slice(-10)))); } catch (e) { /* private mode */ }
    return fromUrl;
  }
  return saved[caseId] || "";
}

let state = initialCaseState();
/** @param {{ type?: string, [field: string]: any }} msg */
function dispatch(msg) {
  state = reduceCase(state, msg);
  render();
}

function render() {
  const v = caseView(state, lang);
  $("loading").hidden = !!(state.case || v.error);
  $("c-error").hidden = !v.error;
  $("c-error").textContent = v.error || "";
  if (!state.case || !("facts" in v)) return;
  section.hidden = false;
  $("c-number").textContent = v.number;
  $("c-matter").textContent = v.matter;
  const status = $("c-status");
  status.textContent = v.status;
  status.className = "status case-st-" + v.statusCls;
  status.dataset.status = v.statusCls;
  const b = $("c-pickup");
  b.hidden = !v.banner;
  if (v.banner) {
    b.className = "pickup " + v.banner.cls;
    draw(b, html`<strong>${v.banner.text}</strong>${v.banner.sub ? html`<span>${v.banner.sub}</span>` : nothing}`);
  }
  draw($("c-facts"), v.facts.map(([k, val]) => html`<div><dt>${k}</dt><dd>${val}</dd></div>`));
  $("c-missing").hidden = !v.missing.length;
  draw($("c-missing-list"), v.missing.map((m) => html`<li>${m}</li>`));
  $("c-missing-hint").textContent = v.missingHint;
  draw($("c-history"), repeat(v.history, (h) => `${h.status}@${h.at}`, (h) => html`<li><b>${h.status}</b><time>${h.at}</time>${
    h.note ? html`<span>${h.note}</span>` : nothing}</li>`));
  $("c-conn").hidden = !v.conn;
  $("c-conn").textContent = v.conn || "";
}

let attempt = 0;
function connect() {
  const ws = new WebSocket(socketUrl(`/ws/cases/${caseId}?token=${encodeURIComponent(token())}`));
  let opened = false;
  ws.onopen = () => { opened = true; attempt = 0; dispatch({ type: "connection", connected: true }); };
  ws.onmessage = (ev) => {
    try { dispatch(JSON.parse(ev.data)); } catch (e) { /* ignore garbage */ }
  };
  ws.onclose = (ev) => {
    if (!opened && !state.case) {
      // Refused at the handshake: ask the HTTP API why, so the page can say it plainly.
      fetch(hallUrl(`/api/cases/${caseId}?token=${encodeURIComponent(token())}`)).then((r) => {
        if (r.status === 403 || r.status === 404) dispatch({ type: "error", code: r.status === 403 ? "forbidden" : "not_found" });
        else setTimeout(connect, backoffDelay(attempt++));
      }, () => { dispatch({ type: "error", code: "network" }); setTimeout(connect, backoffDelay(attempt++)); });
      return;
    }
    if (ev.code === 1008) { dispatch({ type: "error", code: "forbidden" }); return; }
    dispatch({ type: "connection", connected: false });
    setTimeout(connect, backoffDelay(attempt++));
  };
}

connect();
