// /manage: the village stations (村能办) — each station's agents and a league table of the year:
// matters accepted and completed for villages, on-time rate, and the km residents did not travel.

import { api } from "../common/api.js";
import { stationRows } from "./stations_state.js";

const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function load() {
  const year = $("station-year").value;
  const today = document.body.dataset.today || "";
  const last = today.startsWith(year) ? today : `${year}-12-31`;
  try {
    const [stations, stats] = await Promise.all([
      api("/api/stations"), api(`/api/stats/cases?from=${year}-01-01&to=${last}`)]);
    const { rows, totals } = stationRows(stations.stations, stats.by_station);
    $("station-headline").innerHTML = `${esc(year)} 年为村民办理事项 <strong>${totals.accepted}</strong> 件（已办结 ${totals.completed} 件），
      群众少跑路 <strong>${totals.km === null ? "—" : totals.km}</strong> 公里${totals.unknown ? `<small>（${totals.unknown} 个村站未填距离，未计入）</small>` : ""}`;
    $("station-table").querySelector("tbody").innerHTML = rows.map((r, i) => `<tr>
      <td>${r.accepted ? i + 1 : ""}</td><td>${esc(r.name)}<small> ${esc(r.code)}</small></td>
      <td>${r.agents.map((a) => esc(a.display_name || a.username) + (a.disabled ? "（停用）" : "")).join("、") || "<span class='muted'>未设代办员</span>"}</td>
      <td>${r.distance_km ?? "—"}</td><td>${r.accepted}</td><td>${r.completed}</td>
      <td>${r.on_time_pct === null ? "—" : r.on_time_pct + "%"}</td><td>${r.km_saved ?? "—"}</td></tr>`).join("");
    $("station-note").textContent = `村级代办件和家能办件在 ${stations.proxy_window} 号帮办代办窗口排队办理；办结后由代办员带回村里送达。`;
    $("station-error").textContent = "";
  } catch (e) {
    $("station-error").textContent = e.message;
  }
}

function init() {
  if (!$("stations")) return;
  const select = $("station-year");
  const thisYear = Number((document.body.dataset.today || "").slice(0, 4)) || new Date().getFullYear();
  select.innerHTML = [0, 1, 2].map((d) => `<option>${thisYear - d}</option>`).join("");
  select.addEventListener("change", load);
  $("station-refresh").addEventListener("click", load);
  load();
}

init();
