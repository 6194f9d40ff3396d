// /m/c/{id}?token=T: the resident follows a case live over /ws/cases/{id}.
import { backoffDelay } from "/static/common/hallsocket.js";
import { setupLang } from "./i18n.js";
import { caseTranslator, caseView, initialCaseState, reduceCase } from "./case_state.js";

const { lang } = setupLang();
const ct = caseTranslator(lang);
const $ = (id) => document.getElementById(id);
const section = $("case");
const caseId = section.dataset.caseId;
const STORE = "hall.mobile.cases";

for (const el of document.querySelectorAll("[data-ci18n]")) el.textContent = ct(el.dataset.ci18n);

/** Take the token from the address, else from this phone's memory of the case. */
function token() {
  const fromUrl = new URLSearchParams(location.search).get("token");
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
function dispatch(msg) {
  state = reduceCase(state, msg);
  render();
}

function item(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = text;
  if (cls) el.className = cls;
  return el;
}

function render() {
  const v = caseView(state, lang);
  $("loading").hidden = !!(state.case || v.error);
  $("c-error").hidden = !v.error;
  $("c-error").textContent = v.error || "";
  if (!state.case) return;
  section.hidden = false;
  $("c-number").textContent = v.number;
  $("c-matter").textContent = v.matter;
  $("c-status").textContent = v.status;
  $("c-status").className = "status case-st-" + v.statusCls;
  $("c-status").dataset.status = v.statusCls;
  const b = $("c-pickup");
  b.hidden = !v.banner;
  if (v.banner) {
    b.className = "pickup " + v.banner.cls;
    b.replaceChildren(item("strong", v.banner.text), ...(v.banner.sub ? [item("span", v.banner.sub)] : []));
  }
  $("c-facts").replaceChildren(...v.facts.map(([k, val]) => {
    const div = document.createElement("div");
    div.append(item("dt", k), item("dd", val));
    return div;
  }));
  $("c-missing").hidden = !v.missing.length;
  $("c-missing-list").replaceChildren(...v.missing.map((m) => item("li", m)));
  $("c-missing-hint").textContent = v.missingHint;
  $("c-history").replaceChildren(...v.history.map((h) => {
    const li = item("li", "");
    li.append(item("b", h.status), item("time", h.at), ...(h.note ? [item("span", h.note)] : []));
    return li;
  }));
  $("c-conn").hidden = !v.conn;
  $("c-conn").textContent = v.conn || "";
}

let attempt = 0;
function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/ws/cases/${caseId}?token=${encodeURIComponent(token())}`);
  let opened = false;
  ws.onopen = () => { opened = true; attempt = 0; dispatch({ type: "connection", connected: true }); };
  ws.onmessage = (ev) => {
    try { dispatch(JSON.parse(ev.data)); } catch (e) { /* ignore garbage */ }
  };
  ws.onclose = (ev) => {
    if (!opened && !state.case) {
      // Refused at the handshake: ask the HTTP API why, so the page can say it plainly.
      fetch(`/api/cases/${caseId}?token=${encodeURIComponent(token())}`).then((r) => {
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
