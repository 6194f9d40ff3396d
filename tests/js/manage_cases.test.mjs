import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../queue_server/web/static/manage/case_state.js";
import { CASE_TEXT } from "../../queue_server/web/static/manage/case_i18n.js";
import { TEXT } from "../../queue_server/web/static/manage/i18n.js";
import { hbarOption, larger, monthOption, shareOption } from "../../queue_server/web/static/manage/charts.js";

const stats = {
  from: "2026-11-01", to: "2026-11-30", accepted: 9, completed: 6, completed_on_time: 5, on_time_pct: 83.3,
  open: 4, overdue_open: 1, due_soon: 1, avg_working_days: 3.5,
  by_mode: { onsite: 1, deferred: 7, proxy: 1 }, by_channel: { window: 9, agent: 0, home: 0 },
  by_department: [{ department: "social-security", name: "人力资源和社会保障（社保医保）", completed: 5, on_time_pct: 80 },
    { department: "civil-affairs", name: "民政", completed: 1, on_time_pct: 100 }],
  by_station: [],
};

const open = (id, status, due, overdue, extra = {}) => ({ id, number: `BJ20261120-000${id}`, status, due_date: due, overdue,
  matter_name: "城乡居民养老保险待遇领取申请", department: "social-security", department_name: "人社",
  applicant: { name: "王秀英", phone: "138****1234" }, ...extra });

test("the case texts have the same keys in both languages, no Chinese in English, and join the page's table", () => {
  assert.deepEqual(Object.keys(CASE_TEXT.en).sort(), Object.keys(CASE_TEXT.zh).sort());
  for (const [k, v] of Object.entries(CASE_TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  assert.equal(TEXT.zh.c_this_year, "本年度");
  assert.equal(TEXT.en.c_k_on_time, "On time");
  assert.equal(TEXT.zh.c_month_names.split(",").length, 12);
  assert.equal(TEXT.en.c_month_names.split(",").length, 12);
});

test("a year is 1 January to 31 December; a month ends on its last day", () => {
  assert.deepEqual(C.yearRange("2026-11-30"), { from: "2026-01-01", to: "2026-12-31" });
  assert.deepEqual(C.yearRange(2024), { from: "2024-01-01", to: "2024-12-31" });
  assert.deepEqual(C.monthRange("2024-02-10"), { from: "2024-02-01", to: "2024-02-29" });
  assert.deepEqual(C.monthRange("2026-12-31"), { from: "2026-12-01", to: "2026-12-31" });
  assert.equal(C.wholeYear("2026-01-01", "2026-12-31"), 2026);
  assert.equal(C.wholeYear("2026-01-01", "2026-12-30"), null);
  assert.deepEqual(C.yearChoices("2026-11-30", 3), [2026, 2025, 2024]);
});

test("a range splits into months cut to it; months after today are marked future; too long gives none", () => {
  const year = C.monthRanges("2026-01-01", "2026-12-31", "2026-11-30");
  assert.equal(year.length, 12);
  assert.deepEqual(year[1], { year: 2026, month: 2, from: "2026-02-01", to: "2026-02-28", future: false });
  assert.equal(year[10].future, false);
  assert.equal(year[11].future, true);
  const cut = C.monthRanges("2025-12-15", "2026-01-10", "2026-11-30");
  assert.deepEqual(cut.map((m) => [m.from, m.to]), [["2025-12-15", "2025-12-31"], ["2026-01-01", "2026-01-10"]]);
  assert.equal(C.monthRanges("2020-01-01", "2026-12-31", "2026-11-30").length, 0);
  assert.equal(C.monthRanges("2026-11-03", "2026-11-03", "2026-11-30").length, 1);
});

test("month items: completed as bars, on-time share as the line, labels in the language", () => {
  const months = C.monthRanges("2026-10-01", "2026-12-31", "2026-11-30");
  const answers = [{ completed: 2, on_time_pct: 100 }, { completed: 6, on_time_pct: 83.3 }, null];
  assert.deepEqual(C.monthItems(months, answers), [
    { label: "10月", value: 2, line: 100 }, { label: "11月", value: 6, line: 83.3 }, { label: "12月", value: 0, line: null }]);
  assert.equal(C.monthItems(months, answers, "en")[1].label, "Nov");
  const across = C.monthItems(C.monthRanges("2025-12-01", "2026-01-31", "2026-11-30"), [null, null]);
  assert.deepEqual(across.map((i) => i.label), ["2025-12", "2026-01"]);
});

test("headline tiles: matters completed, on-time rate, open, overdue, due soon, average days", () => {
  const zh = C.caseTiles(stats);
  assert.deepEqual(zh.map((k) => k.key), ["completed", "on_time", "open", "overdue", "due_soon", "avg_days"]);
  assert.equal(zh[0].label, "办件量（办结）");
  assert.equal(zh[0].value, "6");
  assert.equal(zh[0].sub, "同期受理 9 件");
  assert.equal(zh[1].value, "83.3%");
  assert.equal(zh[1].sub, "按时 5 / 6 件");
  assert.equal(zh[3].alarm, true);
  assert.equal(zh[5].value, "3.5");
  const en = C.caseTiles(stats, "en");
  assert.deepEqual(en.map((k) => k.key), zh.map((k) => k.key));
  for (const k of en) assert.doesNotMatch(`${k.label}${k.unit}${k.sub}`, /[\u4e00-\u9fff]/, k.key);
  const none = C.caseTiles({ ...stats, completed: 0, completed_on_time: 0, on_time_pct: null, overdue_open: 0,
    due_soon: 0, avg_working_days: null });
  assert.equal(none[1].value, "—");
  assert.equal(none[3].alarm, false);
  assert.equal(none[5].value, "—");
  assert.equal(none[5].unit, "");
});

test("due soon: the 2nd working day after today, skipping weekends and holidays", () => {
  const days = [{ date: "2026-11-27", working: true }, { date: "2026-11-28", working: false },
    { date: "2026-11-29", working: false }, { date: "2026-11-30", working: true }, { date: "2026-12-01", working: true }];
  assert.equal(C.dueSoonCutoff(days, "2026-11-27"), "2026-12-01");
  assert.equal(C.dueSoonCutoff([], "2026-11-27"), "2026-11-29");
  const cases = [open(1, "processing", "2026-11-20", true), open(2, "accepted", "2026-12-01", false),
    open(3, "suspended", "2026-11-30", false), open(4, "accepted", "2026-12-02", false),
    open(5, "accepted", "2026-11-27", false)];
  assert.deepEqual(C.dueSoon(cases, "2026-11-27", "2026-12-01").map((c) => c.id), [5, 3, 2]);
});

test("list rows: most overdue first, the phone as the API masked it, days late in the language", () => {
  const rows = C.caseRows([open(2, "processing", "2026-11-27", true), open(1, "suspended", "2026-11-20", true)], "2026-11-30");
  assert.deepEqual(rows.map((r) => r.id), [1, 2]);
  assert.equal(rows[0].applicant, "王秀英 138****1234");
  assert.equal(rows[0].late, "已超 10 天");
  assert.equal(rows[0].status, "补正中");
  assert.equal(rows[0].department, "人社");
  const en = C.caseRows([open(1, "processing", "2026-11-30", false)], "2026-11-30", "en");
  assert.equal(en[0].late, "");
  assert.equal(en[0].status, "Processing");
});

test("department and mode charts come from the stats through the shared option builders", () => {
  const depts = C.departmentItems(stats.by_department);
  assert.deepEqual(depts[1], { label: "民政", value: 1, text: "1 件 · 按时 100.0%" });
  const h = hbarOption(depts, { maxLabel: 12 });
  assert.deepEqual(h.yAxis.data, ["人力资源和社会保障（社保医保）", "民政"]);
  assert.equal(h.series[0].label.formatter({ dataIndex: 0, value: 5 }), "5 件 · 按时 80.0%");
  const modes = C.modeItems(stats.by_mode);
  assert.deepEqual(modes.map((m) => [m.label, m.value]), [["即办件", 1], ["承诺件", 7], ["代办件", 1]]);
  assert.deepEqual(C.modeItems(stats.by_mode, "en").map((m) => m.label), ["On the spot", "Deferred", "By proxy"]);
  const ring = shareOption(modes);
  assert.equal(ring.series[0].data.length, 3);
  assert.equal(ring.series[0].label.formatter({ name: "承诺件", value: 7 }), "承诺件 7（77.8%）");
  assert.equal(shareOption(C.modeItems({ onsite: 0, deferred: 0, proxy: 0 })).title.text, "本区间暂无数据");
});

test("the month chart: bars of completed, an on-time line on a 0–100 % axis; empty months show a message", () => {
  const items = [{ label: "10月", value: 2, line: 100 }, { label: "11月", value: 6, line: 83.3 }, { label: "12月", value: 0, line: null }];
  const o = monthOption(items, { barName: "办结", lineName: "按时办结率" });
  assert.equal(o.series[0].type, "bar");
  assert.deepEqual(o.series[0].data.map((d) => d.value), [2, 6, 0]);
  assert.equal(o.series[1].type, "line");
  assert.deepEqual(o.series[1].data, [100, 83.3, null]);
  assert.equal(o.yAxis[1].max, 100);
  assert.equal(o.yAxis[1].axisLabel.formatter(75), "75%");
  assert.equal(o.series[1].tooltip.valueFormatter(83.3), "83.3%");
  assert.equal(o.animation, false);
  assert.equal(o.series[1].label.formatter({ value: 83.3 }), "83.3%");
  assert.deepEqual(o.series[0].labelLayout, { hideOverlap: true });
  assert.equal(monthOption([{ label: "1月", value: 0, line: null }], { emptyText: "无" }).title.text, "无");
});

test("the calendar warning names the unannounced years the coverage reports, next year only from 1 November", () => {
  const cov = { source: "chinesecalendar 1.11.0", first_year: 2004, last_year: 2026, uncovered: [2027],
    years: [{ year: 2026, source: "chinesecalendar 1.11.0" }, { year: 2027, source: "provisional" }] };
  assert.deepEqual(C.uncoveredInView(cov, "2026-01-01", "2026-12-31", "2026-10-31"), []);
  assert.deepEqual(C.uncoveredInView(cov, "2026-01-01", "2026-12-31", "2026-11-01"), [2027]);
  assert.deepEqual(C.uncoveredInView(cov, "2026-12-01", "2026-12-31", "2026-12-20"), [2027]);
  // Once the county entered 2027, it is covered, although the package stops at 2026.
  const entered = { ...cov, uncovered: [], years: [cov.years[0], { year: 2027, source: "county" }] };
  assert.deepEqual(C.uncoveredInView(entered, "2026-01-01", "2026-12-31", "2026-11-20"), []);
  // In 2027, with neither the package nor the county: this year, at once, whatever the range.
  const late = { ...cov, uncovered: [2027, 2028], years: [{ year: 2027, source: "provisional" }, { year: 2028, source: "provisional" }] };
  assert.deepEqual(C.uncoveredInView(late, "2026-01-01", "2026-12-31", "2027-03-02"), [2027]);
  assert.deepEqual(C.uncoveredInView(late, "2027-01-01", "2027-12-31", "2027-11-02"), [2027, 2028]);
  // Years the coverage does not speak of (before the package's first) are not guessed at.
  assert.deepEqual(C.uncoveredInView({ ...cov, uncovered: [], years: [] }, "2002-06-01", "2005-01-31", "2026-05-01"), []);
  assert.deepEqual(C.uncoveredInView(null, "2026-01-01", "2026-12-31", "2026-12-01"), []);
});

test("the calendar warning says a provisional year counts the national rules' holidays, not Monday to Friday", () => {
  const zh = TEXT.zh.c_calendar_warn;
  assert.match(zh, /国家规定的法定节假日/);
  assert.match(zh, /节假日日历/);
  assert.doesNotMatch(zh, /周一至周五/);
  assert.match(TEXT.en.c_calendar_warn, /public holidays/);
  assert.doesNotMatch(TEXT.en.c_calendar_warn, /Monday to Friday/);
});

test("only case events refresh the section", () => {
  assert.equal(C.isCaseEvent({ type: "case.completed", seq: 3 }), true);
  assert.equal(C.isCaseEvent({ type: "ticket.issued", seq: 3 }), false);
  assert.equal(C.isCaseEvent({ type: "snapshot" }), false);
  assert.equal(C.isCaseEvent(null), false);
  assert.equal(C.rangeQuery("2026-01-01", "2026-12-31"), "from=2026-01-01&to=2026-12-31");
});

test("larger() raises every text of an option to a readable size, never lowering one", () => {
  const o = larger(monthOption([{ label: "11月", value: 4, line: 75 }]), 16);
  assert.equal(o.textStyle.fontSize, 16);
  assert.equal(o.xAxis.axisLabel.fontSize, 16);
  assert.equal(o.yAxis[1].axisLabel.fontSize, 16);
  assert.equal(o.series[0].label.fontSize, 16);
  assert.equal(larger(shareOption([{ label: "即办件", value: 1 }]), 16).series[0].label.fontSize, 16);
  assert.equal(larger(hbarOption([{ label: "民政", value: 1 }]), 12).yAxis.axisLabel.fontSize, 14);
  assert.equal(larger(shareOption([]), 18).title.textStyle.fontSize, 18);
});
