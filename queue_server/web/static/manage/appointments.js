// /manage: 预约 — today's and tomorrow's bookings per slot, and the last 30 days' figures.

import { api } from "../common/api.js";
import { nextDay, slotRows } from "./appointments_state.js";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function fill(table, rows) {
  table.querySelector("tbody").innerHTML = rows.length ? rows.map((r) => `<tr><td>${esc(r.slot)}</td><td>${esc(r.service)}</td>
    <td class="num">${r.booked}</td><td class="num">${r.used}</td><td class="num ${r.missed ? "bad" : ""}">${r.missed}</td>
    <td class="num">${r.cancelled}</td></tr>`).join("") : `<tr><td colspan="6" class="none">没有预约</td></tr>`;
}

async function load() {
  const today = document.body.dataset.today;
  const tomorrow = nextDay(today);
  const from = new Date(Date.parse(today + "T00:00:00Z") - 29 * 86400000).toISOString().slice(0, 10);
  try {
    const [a, b, stats] = await Promise.all([api(`/api/appointments?date=${today}`), api(`/api/appointments?date=${tomorrow}`),
      api(`/api/stats/appointments?from=${from}&to=${today}`)]);
    $("appt-today-title").textContent = `今天 ${today}（${a.length} 个预约）`;
    $("appt-tomorrow-title").textContent = `明天 ${tomorrow}（${b.length} 个预约）`;
    fill($("appt-today"), slotRows(a));
    fill($("appt-tomorrow"), slotRows(b));
    $("appt-figures").innerHTML = `近 30 天：预约 <strong>${stats.booked}</strong> 个，已签到 ${stats.used}，未到 ${stats.missed}，
      取消 ${stats.cancelled}；爽约率 <strong>${stats.no_show_pct === null ? "—" : stats.no_show_pct + "%"}</strong>`;
    const sec = $("appointments").dataset;
    $("appt-note").textContent = `预约份额 ${Math.round(Number(sec.share) * 100)}%（大厅 YAML settings.appointments.share）：每个时段可约人数为办理该业务窗口能力的这一份额；签到后的号码排队时多算 ${sec.bonusMinutes} 分钟等候。未到 = 时段结束仍未签到，换日时记为爽约。`;
    $("appt-error").textContent = "";
  } catch (e) {
    $("appt-error").textContent = e.message;
  }
}

if ($("appointments")) {
  $("appt-refresh").addEventListener("click", load);
  load();
}
