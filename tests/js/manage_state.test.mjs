import { test } from "node:test";
import assert from "node:assert/strict";
import { addDays, formatDuration, hourSeries, initialState, kpiTiles, reduce, windowView } from "../../queue_server/web/static/manage/state.js";
import { barOption, hbarHeight, hbarOption, shareOption } from "../../queue_server/web/static/manage/charts.js";

const live = {
  at: "2025-06-10T10:00:00+08:00",
  windows: [{ number: 1, name: "综合受理窗口", status: "open", clerk: null, current: null, served_today: 3, eligible_waiting: 0 },
    { number: 2, name: "社保", status: "closed", clerk: null, current: null, served_today: 0, eligible_waiting: 0 }],
  categories: [{ code: "A", name: "社保医保", waiting: 2, longest_wait_seconds: 100, eta_minutes: 5 }],
  alerts: [],
};

test("a live payload replaces the monitor state", () => {
  const s = reduce(initialState(), { type: "live", data: live });
  assert.equal(s.windows.length, 2);
  assert.equal(s.categories[0].waiting, 2);
  assert.equal(s.stale, false);
});

test("a call moves a ticket from the category to the window, and finishing counts it", () => {
  let s = reduce(initialState(), { type: "live", data: live });
  const ticket = { id: 1, number: "A003", service: "pension-insurance", category: "A", status: "called", window: 1 };
  s = reduce(s, { type: "ticket.called", seq: 5, at: "2025-06-10T10:01:00+08:00", ticket, window: 1 });
  assert.equal(s.categories[0].waiting, 1);
  assert.equal(s.windows[0].current.number, "A003");
  assert.equal(s.stale, true);
  s = reduce(s, { type: "ticket.started", seq: 6, at: "2025-06-10T10:02:00+08:00", ticket, window: 1 });
  assert.equal(s.windows[0].current.status, "serving");
  s = reduce(s, { type: "ticket.finished", seq: 7, at: "2025-06-10T10:09:00+08:00", ticket, window: 1 });
  assert.equal(s.windows[0].current, null);
  assert.equal(s.windows[0].served_today, 4);
  assert.equal(s.seq, 7);
});

test("issuing adds to a category, window events change status, unknown types change nothing", () => {
  let s = reduce(initialState(), { type: "live", data: live });
  s = reduce(s, { type: "ticket.issued", seq: 1, ticket: { category: "A" }, window: null });
  assert.equal(s.categories[0].waiting, 3);
  s = reduce(s, { type: "window.opened", seq: 2, window: 2, ticket: null });
  assert.equal(s.windows[1].status, "open");
  s = reduce(s, { type: "window.paused", seq: 3, window: 2, ticket: null });
  assert.equal(windowView(s.windows[1]).label, "暂停");
  assert.equal(reduce(s, { type: "something.new", seq: 4 }), s);
  assert.equal(reduce(s, null), s);
});

test("durations read in Chinese and hours fill the open day", () => {
  assert.equal(formatDuration(null), "—");
  assert.equal(formatDuration(42), "42秒");
  assert.equal(formatDuration(185), "3分05秒");
  assert.equal(formatDuration(3720), "1时02分");
  const hours = hourSeries([{ hour: 9, issued: 4, wait_avg: 60 }]);
  assert.equal(hours[0].hour, 8);
  assert.equal(hours.at(-1).hour, 18);
  assert.equal(hours.find((h) => h.hour === 9).issued, 4);
  assert.equal(addDays("2025-03-01", -1), "2025-02-28");
});

test("KPI tiles show dashes, not NaN, for an empty range", () => {
  const empty = { issued: 0, served: 0, no_show: 0, no_show_pct: null, wait: { avg: null, p50: null, p90: null, max: null },
    service: { avg: null, p90: null }, sla: { threshold: 900, within_pct: null, within: 0, called: 0 },
    satisfaction: { count: 0, avg: null, satisfied_pct: null }, eta_mae_minutes: null };
  const tiles = kpiTiles(empty, 15);
  assert.ok(tiles.every((t) => !String(t.value).includes("NaN")));
  assert.equal(tiles.find((t) => t.key === "sla").label, "15 分钟内叫号");
  assert.equal(tiles.find((t) => t.key === "wait_avg").value, "—");
});

test("chart options carry Chinese labels, a second axis for the line, and a message when empty", () => {
  const bar = barOption([{ label: "9时", value: 10, line: 120 }, { label: "10时", value: 3, line: null }],
    { hasLine: true, lineFormat: (v) => `${v / 60}分` });
  assert.deepEqual(bar.xAxis.data, ["9时", "10时"]);
  assert.equal(bar.series[0].type, "bar");
  assert.deepEqual(bar.series[0].data.map((d) => d.value), [10, 3]);
  assert.deepEqual(bar.series[1].data, [120, null]);
  assert.equal(bar.series[1].yAxisIndex, 1);
  assert.equal(bar.yAxis[1].axisLabel.formatter(120), "2分");
  assert.equal(bar.animation, false);
  const noted = barOption([{ label: "1号", value: 4, note: "5.0分" }]);
  assert.equal(noted.xAxis.axisLabel.formatter("1号", 0), "1号\n{note|5.0分}");
  assert.equal(hbarOption([], {}).title.text, "本区间暂无数据");
  assert.equal(barOption([], { emptyText: "No data in this period" }).title.text, "No data in this period");
  const h = hbarOption([{ label: "城乡居民养老保险参保登记", value: 5, text: "5 人" }], { maxLabel: 8 });
  assert.equal(h.yAxis.axisLabel.formatter("城乡居民养老保险参保登记"), "城乡居民养老保…");
  assert.equal(h.series[0].label.formatter({ dataIndex: 0, value: 5 }), "5 人");
  assert.equal(hbarHeight(2), 120);
  assert.equal(hbarHeight(12), 12 * 34 + 24);
  const pie = shareOption([{ label: "办结", value: 3 }, { label: "代办", value: 1 }, { label: "材料不全", value: 0 }]);
  assert.equal(pie.series[0].data.length, 2, "empty slices are left out");
  assert.equal(pie.series[0].label.formatter({ name: "办结", value: 3 }), "办结 3（75.0%）");
  // ECharts draws the tooltip and escapes the names in it: the option carries no HTML of its own.
  assert.equal(pie.tooltip.formatter, undefined);
  assert.equal(pie.tooltip.valueFormatter(1), "1（25.0%）");
});
