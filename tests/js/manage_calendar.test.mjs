import { test } from "node:test";
import assert from "node:assert/strict";
import * as K from "../../queue_server/web/static/manage/calendar_state.js";
import { CALENDAR_TEXT } from "../../queue_server/web/static/manage/calendar_i18n.js";
import { TEXT } from "../../queue_server/web/static/manage/i18n.js";

test("the calendar texts have the same keys in both languages, no Chinese in English, and join the page's table", () => {
  assert.deepEqual(Object.keys(CALENDAR_TEXT.en).sort(), Object.keys(CALENDAR_TEXT.zh).sort());
  for (const [k, v] of Object.entries(CALENDAR_TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  assert.equal(TEXT.zh.cal_src_county, "县里录入");
  assert.equal(TEXT.zh.cal_weekdays.split(",").length, 7);
  assert.equal(TEXT.en.cal_weekdays.split(",").length, 7);
});

test("single days in every usual form are read in the chosen year", () => {
  const { dates, errors } = K.parseDates("2027-01-01\n2027/4/5，5月1日、2-6; 2027年10月1日", 2027);
  assert.deepEqual(errors, []);
  assert.deepEqual(dates, ["2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-10-01"]);
});

test("ranges are read whichever way the notice writes them, and repeats count once", () => {
  const text = "2月5日至13日\n2027-05-01~2027-05-05\n春节：2月5日-7日（星期五至星期日）\n10月1日到10月7日\n2027-01-01 ～ 2027-01-01";
  const { dates, errors } = K.parseDates(text, 2027);
  assert.deepEqual(errors, []);
  assert.equal(dates.length, 9 + 5 + 7 + 1);
  assert.equal(dates[0], "2027-01-01");
  assert.ok(dates.includes("2027-02-13") && dates.includes("2027-10-07") && !dates.includes("2027-02-14"));
  assert.deepEqual(K.parseDates("12月30日至1月2日", 2027).errors, [{ token: "12月30日至1月2日", reason: "backwards" }]);
});

test("what cannot be used is named with why, and the rest is still read", () => {
  const { dates, errors } = K.parseDates("2027-02-30\n2026-12-31\n春节\n2027-03-01~2027-05-01\n2月10日至2月5日\nabc\n1.2.3.4\n2027-06-01", 2027);
  assert.deepEqual(dates, ["2027-06-01"]);
  assert.deepEqual(errors.map((e) => [e.token, e.reason]), [
    ["2027-02-30", "unreadable"], ["2026-12-31", "other_year"], ["春节", "unreadable"], ["2027-03-01~2027-05-01", "too_long"],
    ["2月10日至2月5日", "backwards"], ["abc", "unreadable"], ["1.2.3.4", "unreadable"],
  ]);
  assert.deepEqual(K.parseDates("", 2027), { dates: [], errors: [] });
  assert.deepEqual(K.parseDates("  \n , ", 2027), { dates: [], errors: [] });
});

test("dates are written back as one line a run, which reads back the same", () => {
  const dates = ["2027-02-05", "2027-02-06", "2027-02-07", "2027-01-01", "2027-02-08", "2027-10-01"];
  const text = K.formatDates(dates);
  assert.equal(text, "2027-01-01\n2027-02-05~2027-02-08\n2027-10-01");
  assert.deepEqual(K.parseDates(text, 2027).dates, [...dates].sort());
  assert.deepEqual(K.spans(["2027-12-31", "2027-12-30"]), [{ from: "2027-12-30", to: "2027-12-31", days: 2 }]);
  assert.deepEqual(K.spans([]), []);
});

test("a day both off and worked is caught; a working day already on a weekday is questioned", () => {
  const check = K.crossCheck(["2027-02-06", "2027-02-08"], ["2027-02-06", "2027-02-20", "2027-02-22"]);
  assert.deepEqual(check.both, ["2027-02-06"]);
  assert.deepEqual(check.weekdayWork, ["2027-02-22"]); // a Monday; the 20th is a Saturday
  assert.equal(K.weekday("2027-02-20"), 6);
});

test("the current calendar fills the editor with its named days, leaving out the hall's own overrides", () => {
  const days = [
    { date: "2027-01-01", working: false, name: "元旦" }, { date: "2027-01-02", working: false },
    { date: "2027-01-04", working: true }, { date: "2027-01-09", working: true, name: "调休上班" },
    { date: "2027-03-03", working: false, name: "本中心休息" }, { date: "2027-03-06", working: true, name: "本中心上班" },
  ];
  assert.deepEqual(K.fromCalendarDays(days), { holidays: ["2027-01-01"], workdays: ["2027-01-09"] });
});

test("the editor opens on this year if nobody announced it, else on next year; it offers the years around", () => {
  const cov = (a, b) => ({ years: [{ year: 2026, source: a }, { year: 2027, source: b }] });
  assert.equal(K.defaultYear(cov("chinesecalendar 1.11.0", "provisional"), "2026-11-20"), 2027);
  assert.equal(K.defaultYear(cov("provisional", "provisional"), "2026-03-01"), 2026);
  assert.equal(K.defaultYear(null, "2026-03-01"), 2027);
  assert.deepEqual(K.editorYears("2026-11-20", [2030, 2027]), [2025, 2026, 2027, 2028, 2030]);
  assert.equal(K.sourceKind("county"), "county");
  assert.equal(K.sourceKind("provisional"), "provisional");
  assert.equal(K.sourceKind("chinesecalendar 1.11.0"), "package");
});
