import { test } from "node:test";
import assert from "node:assert/strict";
import { basis, chartItems, clock, poolRows, staffingQuery, trust, windowList } from "../../queue_server/web/static/manage/staffing_state.js";
import { pairOption } from "../../queue_server/web/static/manage/charts.js";
import { STAFFING_TEXT } from "../../queue_server/web/static/manage/staffing_i18n.js";

test("/manage 排班建议: the form becomes the route's query in seconds, or a named error", () => {
  assert.deepEqual(staffingQuery({ weekday: "1", weeks: "8", wait: "10", pct: "80" }),
    { ok: true, query: "weekday=1&weeks=8&target_wait=600&target_pct=80" });
  assert.deepEqual(staffingQuery({ weekday: "", weeks: "4", wait: "0.5", pct: "99.5" }),
    { ok: true, query: "weeks=4&target_wait=30&target_pct=99.5" }); // no weekday: the server picks today's
  assert.equal(staffingQuery({ weekday: "1", weeks: "2.5", wait: "10", pct: "80" }).ok, false);
  for (const [f, key] of [[{ weeks: "0" }, "s_err_weeks"], [{ weeks: "53" }, "s_err_weeks"], [{ weeks: "" }, "s_err_weeks"],
    [{ wait: "-1" }, "s_err_wait"], [{ wait: "" }, "s_err_wait"], [{ wait: "abc" }, "s_err_wait"],
    [{ pct: "100.1" }, "s_err_pct"], [{ pct: "-3" }, "s_err_pct"], [{ pct: "" }, "s_err_pct"]]) {
    assert.deepEqual(staffingQuery({ weekday: "1", weeks: "8", wait: "10", pct: "80", ...f }), { ok: false, error: key });
  }
});

test("/manage 排班建议: chart items, trust levels, pools and the days", () => {
  const i = (start, needed, open, arrivals) => ({ start, end: "", arrivals, service_avg: 420, windows_needed: needed, windows_open: open, within_pct: 90 });
  assert.deepEqual(chartItems([i("09:00", 11, 8.3125, 43.625), i("13:30", 0, 0, 0)]),
    [{ label: "9:00", needed: 11, open: 8.3, arrivals: 43.6 }, { label: "13:30", needed: 0, open: 0, arrivals: 0 }]);
  assert.equal(clock("09:30"), "9:30");
  assert.deepEqual(trust({ days: 7, arrivals_mape_pct: 12.04 }), { level: "good", pct: "12.0%" });
  assert.deepEqual(trust({ days: 7, arrivals_mape_pct: 25 }), { level: "fair", pct: "25.0%" });
  assert.equal(trust({ days: 3, arrivals_mape_pct: 56.25 }).level, "poor");
  assert.deepEqual(trust({ days: 0, arrivals_mape_pct: null }), { level: "none", pct: "—" });
  assert.equal(windowList([18, 1, 2, 3, 4, 17]), "1–4、17、18");
  assert.equal(windowList([7]), "7");
  const pools = poolRows([{ windows: [5, 6], name: "社保医保窗口", shares: {}, intervals: [], advice: [] },
    { windows: [1, 2, 3, 4, 17, 18], name: "", shares: {}, intervals: [], advice: ["周一 9:00–9:30 建议开 10 个窗口（过去 8 周平均开 4 个）"] }]);
  assert.deepEqual(pools.map((p) => [p.windows, p.advice.length]), [["1–4、17、18", 1], ["5、6", 0]]);
  assert.deepEqual(basis(["2026-10-19", "2026-10-26", "2026-12-07"]), { first: "2026-10-19", last: "2026-12-07", n: 3 });
  assert.equal(basis([]), null);
});

test("/manage 排班建议: the chart pairs windows needed with windows open, arrivals on the right axis", () => {
  const option = pairOption([{ label: "9:00", needed: 11, open: 8.3, arrivals: 43.6 }, { label: "9:30", needed: 3, open: 3, arrivals: 9 }],
    { neededName: "建议开窗口数", openName: "过去平均开窗口数", arrivalsName: "平均取号人数（右轴）" });
  assert.deepEqual(option.series.map((s) => [s.type, s.name]), [["bar", "建议开窗口数"], ["bar", "过去平均开窗口数"], ["line", "平均取号人数（右轴）"]]);
  assert.deepEqual(option.series[0].data, [11, 3]);
  assert.deepEqual(option.series[1].data, [8.3, 3]);
  assert.equal(option.series[1].label.formatter({ value: 8.3 }), "8.3");
  assert.equal(option.series[2].yAxisIndex, 1);
  assert.ok(pairOption([], { emptyText: "没有数据" }).title.text === "没有数据");
  assert.deepEqual(Object.keys(STAFFING_TEXT.en).sort(), Object.keys(STAFFING_TEXT.zh).sort());
});
