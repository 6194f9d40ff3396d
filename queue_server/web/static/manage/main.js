// /manage: wire the pure state and charts to the page, the API and the hall websocket.

import { api } from "/static/common/api.js";
import { connectHall } from "/static/common/hallsocket.js";
import { barChart, esc, hbarChart, PALETTE, shareBar } from "./charts.js";
import {
  addDays, CHANNEL_LABELS, formatDuration, formatMinutes, hourSeries, initialState, kpiTiles,
  OUTCOME_LABELS, reduce, windowView,
} from "./state.js";

const body = document.body;
const $ = (sel) => document.querySelector(sel);

function wireLogout() {
  const btn = $("#logout");
  if (btn) btn.addEventListener("click", async () => {
    try { await api("/api/auth/logout", { method: "POST" }); } catch (e) { /* logged out anyway */ }
    location.reload();
  });
}

function wireLogin() {
  const form = $("#login-form");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    try {
      await api("/api/auth/login", { method: "POST", body: { username: data.get("username"), password: data.get("password") } });
      location.reload();
    } catch (e) {
      $("#login-error").textContent = e.message;
    }
  });
}

// ---- live monitor -------------------------------------------------------------------------
let state = initialState();
let refreshTimer = null;

function dispatch(msg) {
  state = reduce(state, msg);
  renderLive();
  if (state.stale && !refreshTimer) refreshTimer = setTimeout(refreshLive, 700);
}

async function refreshLive() {
  refreshTimer = null;
  try {
    dispatch({ type: "live", data: await api("/api/stats/live") });
  } catch (e) {
    $("#alerts").innerHTML = `<div class="alert error">实时数据读取失败：${esc(e.message)}</div>`;
  }
}

function sinceText(iso) {
  if (!iso || !state.at) return "";
  // Measure against the server's clock (state.at), not the browser's.
  const secs = (Date.parse(state.at) - Date.parse(iso)) / 1000;
  return secs >= 0 ? formatDuration(secs) : "";
}

function renderLive() {
  $("#conn").dataset.state = state.connected ? "on" : "off";
  $("#conn").textContent = state.connected ? "● 实时连接" : "○ 重新连接中…";
  if (state.at) $("#live-at").textContent = `更新于 ${state.at.slice(11, 19)}`;
  const alerts = state.alerts || [];
  $("#alerts").innerHTML = alerts.length
    ? alerts.map((a) => `<div class="alert ${a.level}" data-kind="${esc(a.kind)}"><b>【${({ sla: "超时等候", device: "设备故障", idle: "窗口闲置" })[a.kind] || "提醒"}】</b>${esc(a.message)}</div>`).join("")
    : '<div class="alert ok">一切正常：没有超时等候、设备故障或闲置窗口。</div>';
  $("#windows").innerHTML = state.windows.map((w) => {
    const v = windowView(w);
    const cur = w.current
      ? `<div class="cur"><b>${esc(w.current.number)}</b> ${esc(v.label)} <span>${esc(sinceText(w.current.since))}</span></div>`
      : `<div class="cur none">${w.status === "closed" ? "—" : "暂无号码"}</div>`;
    const clerk = w.clerk ? esc(w.clerk.display_name || w.clerk.username) : "未签到";
    return `<div class="win ${v.cls}" data-window="${w.number}">
      <div class="head"><span class="no">${w.number}号</span><span class="badge">${esc(w.status === "open" ? (w.current ? "办理中" : "空闲") : v.label)}</span></div>
      <div class="name">${esc(w.name)} · ${clerk}</div>${cur}
      <div class="today">今日办结 <b>${w.served_today ?? 0}</b> · 平均 ${formatDuration(w.service_avg_today)}</div></div>`;
  }).join("");
  const sla = Number(body.dataset.slaMinutes) * 60;
  $("#categories tbody").innerHTML = state.categories.map((c) => `<tr data-category="${esc(c.code)}">
      <td><b>${esc(c.code)}</b> ${esc(c.name)}</td><td class="num">${c.waiting}</td>
      <td class="num ${c.longest_wait_seconds > sla ? "bad" : ""}">${formatDuration(c.longest_wait_seconds)}</td>
      <td class="num">${c.waiting || c.eta_minutes ? Math.round(c.eta_minutes) + " 分钟" : "—"}</td></tr>`).join("");
}

// ---- history --------------------------------------------------------------------------------
function rangeQuery() {
  const f = new FormData($("#range"));
  return `from=${encodeURIComponent(f.get("from"))}&to=${encodeURIComponent(f.get("to"))}`;
}

async function loadHistory() {
  const q = rangeQuery();
  $("#export-csv").href = `/api/stats/export.csv?${q}`;
  $("#export-xlsx").href = `/api/stats/export.xlsx?${q}`;
  $("#history-error").textContent = "";
  let s;
  try {
    s = await api(`/api/stats/summary?${q}`);
  } catch (e) {
    $("#history-error").textContent = e.message;
    return;
  }
  renderHistory(s);
}

function renderHistory(s) {
  const tiles = kpiTiles(s, Number(body.dataset.slaMinutes));
  $("#kpis").innerHTML = tiles.map((t) => `<div class="kpi" data-kpi="${t.key}">
      <div class="label">${esc(t.label)}</div>
      <div class="value">${esc(t.value)}${t.unit ? `<small>${esc(t.unit)}</small>` : ""}</div>
      ${t.sub ? `<div class="sub">${esc(t.sub)}</div>` : ""}</div>`).join("");
  const hours = hourSeries(s.by_hour);
  $("#chart-hour").innerHTML = barChart(hours.map((h) => ({ label: `${h.hour}时`, value: h.issued, line: h.wait_avg })),
    { width: 1400, height: 300, hasLine: true, lineFormat: formatMinutes, valueFormat: (v) => String(Math.round(v)), label: "各时段取号量与平均等候" });
  $("#chart-buckets").innerHTML = barChart(s.wait_buckets.map((b, i) => ({ label: `${b.bucket}分`, value: b.count,
    color: ["#2da44e", "#2da44e", "#bf8700", "#e16f24", "#cf222e", "#a40e26"][i] })),
    { width: 700, height: 300, valueFormat: (v) => String(Math.round(v)), label: "等候时长分布" });
  $("#chart-outcomes").innerHTML = shareBar(Object.entries(OUTCOME_LABELS).map(([k, label], i) => ({ label, value: s.outcomes[k],
    color: PALETTE[[1, 0, 4, 3][i]] })), { width: 700, label: "办结结果构成" });
  $("#chart-window").innerHTML = barChart(s.by_window.map((w) => ({ label: `${w.window}号`, value: w.served, note: formatMinutes(w.service_avg) })),
    { width: 1400, height: 260, color: PALETTE[5], valueFormat: (v) => String(Math.round(v)), label: "各窗口办结量与平均办理时长" });
  $("#chart-service").innerHTML = hbarChart(s.by_service.slice(0, 12).map((v) => ({ label: v.name, value: v.issued,
    text: `${v.issued} 人 · 等 ${formatMinutes(v.wait_avg)}` })), { width: 700, left: 170, right: 150, label: "各项业务" });
  $("#chart-channel").innerHTML = hbarChart(Object.entries(s.by_channel).map(([k, n]) => ({ label: CHANNEL_LABELS[k] || k, value: n,
    text: `${n} 人次` })), { width: 700, left: 100, right: 120, color: PALETTE[4], label: "取号渠道" });
  $("#clerks tbody").innerHTML = s.by_clerk.length ? s.by_clerk.map((c) => `<tr><td>${esc(c.name)}</td><td class="num">${c.served}</td>
      <td class="num">${formatDuration(c.service_avg)}</td><td class="num">${c.grades}</td>
      <td class="num">${c.grade_avg ?? "—"}</td><td class="num">${c.satisfied_pct === null ? "—" : c.satisfied_pct.toFixed(1) + "%"}</td></tr>`).join("")
    : '<tr><td colspan="6" class="none">本区间没有办结记录</td></tr>';
}

function wireHistory() {
  $("#range").addEventListener("submit", (ev) => { ev.preventDefault(); loadHistory(); });
  for (const b of document.querySelectorAll("[data-preset]")) {
    b.addEventListener("click", () => {
      const today = body.dataset.today;
      const p = b.dataset.preset;
      $("#range").elements.to.value = today;
      $("#range").elements.from.value = p === "today" ? today : addDays(today, 1 - Number(p));
      loadHistory();
    });
  }
}

if (body.dataset.mode === "login") wireLogin();
wireLogout();
if (body.dataset.mode === "manage") {
  wireHistory();
  const params = new URLSearchParams(location.search);
  if (params.get("from")) $("#range").elements.from.value = params.get("from");
  if (params.get("to")) $("#range").elements.to.value = params.get("to");
  refreshLive().then(() => {
    connectHall({ onMessage: dispatch, onStatus: (connected) => dispatch({ type: "status", connected }) });
  });
  setInterval(refreshLive, 15000); // waits grow even when nothing happens
  loadHistory();
}
