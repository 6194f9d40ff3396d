// @ts-check
// /manage: the village stations (村能办) — each station's agents and a league table of the year:
// matters accepted and completed for villages, on-time rate, and the km residents did not travel.

import { api } from "../common/api.js";
import { $, draw, html, nothing, repeat } from "../common/dom.js";
import { stationRows } from "./stations_state.js";

/** @typedef {import("../types/api").components["schemas"]} Schemas */

async function load() {
  const year = $("station-year", HTMLSelectElement).value;
  const today = document.body.dataset.today || "";
  const last = today.startsWith(year) ? today : `${year}-12-31`;
  try {
    /** @type {[Schemas["StationList"], Schemas["CaseStats"]]} */
    const [stations, stats] = await Promise.all([
      api("/api/stations"), api(`/api/stats/cases?from=${year}-01-01&to=${last}`)]);
    const { rows, totals } = stationRows(stations.stations, stats.by_station);
    draw($("station-headline"), html`${year} 年为村民办理事项 <strong>${totals.accepted}</strong> 件（已办结 ${totals.completed} 件），
      群众少跑路 <strong>${totals.km === null ? "—" : totals.km}</strong> 公里${totals.unknown ? html`<small>（${totals.unknown} 个村站未填距离，未计入）</small>` : nothing}`);
    const body = /** @type {HTMLElement} */ ($("station-table").querySelector("tbody"));
    draw(body, repeat(rows, (r) => r.code, (r, i) => html`<tr>
      <td>${r.accepted ? i + 1 : ""}</td><td>${r.name}<small> ${r.code}</small></td>
      <td>${r.agents.length ? r.agents.map((a) => (a.display_name || a.username) + (a.disabled ? "（停用）" : "")).join("、")
        : html`<span class="muted">未设代办员</span>`}</td>
      <td>${r.distance_km ?? "—"}</td><td>${r.accepted}</td><td>${r.completed}</td>
      <td>${r.on_time_pct === null ? "—" : r.on_time_pct + "%"}</td><td>${r.km_saved ?? "—"}</td></tr>`));
    $("station-note").textContent = `村级代办件和家能办件在 ${stations.proxy_window} 号帮办代办窗口排队办理；办结后由代办员带回村里送达。`;
    $("station-error").textContent = "";
  } catch (e) {
    $("station-error").textContent = /** @type {Error} */ (e).message;
  }
}

function init() {
  if (!document.getElementById("stations")) return;
  const select = $("station-year", HTMLSelectElement);
  const thisYear = Number((document.body.dataset.today || "").slice(0, 4)) || new Date().getFullYear();
  draw(select, [0, 1, 2].map((d) => html`<option>${thisYear - d}</option>`));
  select.addEventListener("change", load);
  $("station-refresh").addEventListener("click", load);
  load();
}

init();
