import { test } from "node:test";
import assert from "node:assert/strict";
import { stationRows } from "../../queue_server/web/static/manage/stations_state.js";

const st = (code, km = null) => ({ code, name: `村站 ${code}`, distance_km: km, agents: [] });

test("every station is listed, busiest first, with the year's totals", () => {
  const { rows, totals } = stationRows([st("V01", 12.5), st("V02", 8), st("V03")], [
    { station: "V02", accepted: 5, completed: 4, on_time_pct: 100, km_saved: 80 },
    { station: "V01", accepted: 2, completed: 1, on_time_pct: 0, km_saved: 50 },
    { station: "V03", accepted: 1, completed: 0, on_time_pct: null, km_saved: null },
  ]);
  assert.deepEqual(rows.map((r) => r.code), ["V02", "V01", "V03"]);
  assert.deepEqual(totals, { accepted: 8, completed: 5, km: 130, unknown: 1 });
});

test("stations without cases show zeros and no km", () => {
  const { rows, totals } = stationRows([st("V02"), st("V01")], []);
  assert.deepEqual(rows.map((r) => [r.code, r.accepted, r.km_saved]), [["V01", 0, null], ["V02", 0, null]]);
  assert.equal(totals.km, null);
});
