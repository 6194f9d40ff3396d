// @ts-check
// /manage: 预约 — today's and tomorrow's bookings per slot, and the last 30 days' figures.

import { api } from "../common/api.js";
import { $, draw, html, repeat } from "../common/dom.js";
import { nextDay, slotRows } from "./appointments_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

/**
 * Draw a day's slots into a table's body.
 * @param {string} table
 * @param {ReturnType<typeof slotRows>} rows
 */
function fill(table, rows) {
  const body = /** @type {HTMLElement} */ ($(table).querySelector("tbody"));
  draw(body, rows.length ? repeat(rows, (r) => `${r.start}|${r.service}`, (r) => html`<tr><td>${r.slot}</td><td>${r.service}</td>
    <td class="num">${r.booked}</td><td class="num">${r.used}</td><td class="num ${r.missed ? "bad" : ""}">${r.missed}</td>
    <td class="num">${r.cancelled}</td></tr>`) : html`<tr><td colspan="6" class="none">没有预约</td></tr>`);
}

async function load() {
  const today = document.body.dataset.today || "";
  const tomorrow = nextDay(today);
  const from = new Date(Date.parse(today + "T00:00:00Z") - 29 * 86400000).toISOString().slice(0, 10);
  try {
    /** @type {[Schemas["AppointmentPublic"][], Schemas["AppointmentPublic"][], Schemas["AppointmentStats"]]} */
    const [a, b, stats] = await Promise.all([api(`/api/appointments?date=${today}`), api(`/api/appointments?date=${tomorrow}`),
      api(`/api/stats/appointments?from=${from}&to=${today}`)]);
    $("appt-today-title").textContent = `今天 ${today}（${a.length} 个预约）`;
    $("appt-tomorrow-title").textContent = `明天 ${tomorrow}（${b.length} 个预约）`;
    fill("appt-today", slotRows(a));
    fill("appt-tomorrow", slotRows(b));
    draw($("appt-figures"), html`近 30 天：预约 <strong>${stats.booked}</strong> 个，已签到 ${stats.used}，未到 ${stats.missed}，
      取消 ${stats.cancelled}；爽约率 <strong>${stats.no_show_pct === null ? "—" : stats.no_show_pct + "%"}</strong>`);
    const sec = $("appointments").dataset;
    $("appt-note").textContent = `预约份额 ${Math.round(Number(sec.share) * 100)}%（大厅 YAML settings.appointments.share）：每个时段可约人数为办理该业务窗口能力的这一份额；签到后的号码排队时多算 ${sec.bonusMinutes} 分钟等候。未到 = 时段结束仍未签到，换日时记为爽约。`;
    $("appt-error").textContent = "";
  } catch (e) {
    $("appt-error").textContent = /** @type {Error} */ (e).message;
  }
}

if (document.getElementById("appointments")) {
  $("appt-refresh").addEventListener("click", load);
  load();
}
