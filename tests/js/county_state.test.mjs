import { test } from "node:test";
import assert from "node:assert/strict";
import * as S from "../../queue_server/web/static/county/state.js";
import { TEXT, translator } from "../../queue_server/web/static/county/i18n.js";

const hall = (code, name, figures = {}) => ({
  code, name, manage_url: `http://x/h/${code}/manage`, waiting: 0, open_windows: 0, served_today: 0,
  sla_pct_today: null, cases_open: 0, cases_overdue: 0, cases_on_time_pct_30d: null, satisfaction_pct_30d: null,
  feedback_overdue: 0, devices_down: 0, ...figures,
});

const puan = hall("puan", "普安", { waiting: 5, sla_pct_today: 92.5, satisfaction_pct_30d: 98 });
const xiasi = hall("xiasi", "下寺", { waiting: 9, sla_pct_today: 61.2, cases_overdue: 2, devices_down: 1 });
const baolun = hall("baolun", "白龙", { waiting: 5, feedback_overdue: 3 });

test("the county texts have the same keys in both languages and no Chinese in English", () => {
  assert.deepEqual(Object.keys(TEXT.en).sort(), Object.keys(TEXT.zh).sort());
  for (const [k, v] of Object.entries(TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  for (const [key] of [...S.LIVE_COLUMNS, ...S.MONTH_COLUMNS]) assert.ok(TEXT.zh[`th_${key}`], key);
  for (const r of S.RANKINGS) assert.ok(TEXT.zh[`cap_${r.key}`], r.key);
});

test("sorting puts a missing figure last either way and keeps the county's order among equals", () => {
  const rows = [puan, xiasi, baolun];
  const names = (list) => list.map((h) => h.code);
  assert.deepEqual(names(S.sortRows(rows, { key: "sla_pct_today", dir: "desc" })), ["puan", "xiasi", "baolun"]);
  assert.deepEqual(names(S.sortRows(rows, { key: "sla_pct_today", dir: "asc" })), ["xiasi", "puan", "baolun"]);
  assert.deepEqual(names(S.sortRows(rows, { key: "waiting", dir: "asc" })), ["puan", "baolun", "xiasi"]);
  assert.deepEqual(names(S.sortRows(rows, { key: "waiting", dir: "desc" })), ["xiasi", "puan", "baolun"]);
  assert.deepEqual(names(S.sortRows(rows, { key: "name", dir: "asc" })), ["baolun", "puan", "xiasi"]); // pinyin order
  assert.deepEqual(names(rows), ["puan", "xiasi", "baolun"], "the input is not changed");
});

test("a click on a column sorts it with its better end first, and a second click flips it", () => {
  assert.deepEqual(S.toggleSort({ key: "sla_pct_today", dir: "desc" }, "waiting"), { key: "waiting", dir: "asc" });
  assert.deepEqual(S.toggleSort({ key: "waiting", dir: "asc" }, "waiting"), { key: "waiting", dir: "desc" });
  assert.deepEqual(S.toggleSort({ key: "waiting", dir: "asc" }, "satisfaction_pct_30d"), { key: "satisfaction_pct_30d", dir: "desc" });
  assert.deepEqual(S.toggleSort({ key: "waiting", dir: "asc" }, "wait_avg"), { key: "wait_avg", dir: "asc" });
  assert.deepEqual(S.toggleSort({ key: "waiting", dir: "asc" }, "name"), { key: "name", dir: "asc" });
});

test("a ranking puts the best first, shares a rank between equals and leaves halls without a figure unranked", () => {
  const r = S.ranking([puan, xiasi, baolun, hall("kaifeng", "开封", { sla_pct_today: 92.5 })], "sla_pct_today", "high");
  assert.deepEqual(r.map((x) => [x.code, x.rank, x.value]),
    [["puan", 1, 92.5], ["kaifeng", 1, 92.5], ["xiasi", 3, 61.2], ["baolun", null, null]]);
  const w = S.ranking([{ code: "a", name: "A", wait_avg: 600 }, { code: "b", name: "B", wait_avg: 120 }], "wait_avg", "low");
  assert.deepEqual(w.map((x) => [x.code, x.rank]), [["b", 1], ["a", 2]]);
});

test("alerts name their hall: devices and overdue cases first, then the service level and overdue 差评", () => {
  const list = S.alerts([puan, xiasi, baolun], 80);
  assert.deepEqual(list.map((a) => [a.kind, a.code, a.level, a.value]), [
    ["device", "xiasi", "error", 1], ["cases", "xiasi", "error", 2],
    ["sla", "xiasi", "warning", 61.2], ["feedback", "baolun", "warning", 3],
  ]);
  assert.equal(list[0].manage_url, "http://x/h/xiasi/manage");
  assert.equal(S.alerts([puan, xiasi], 95).filter((a) => a.kind === "sla").length, 2);
  assert.equal(S.alerts([puan, xiasi], 60).filter((a) => a.kind === "sla").length, 0);
  assert.deepEqual([...S.flagged(list)].sort(), ["baolun", "xiasi"]);
  assert.deepEqual(S.alerts([hall("quiet", "静")], 100), [], "no calls yet is no breach");
  const t = translator("zh");
  const a = list[2];
  assert.equal(t("alert_sla", { hall: "下寺", value: S.pct(a.value), limit: S.pct(a.limit) }), "下寺：今日服务水平 61.2%，低于 80%");
});

test("the state keeps the last answer through a failed read, and the sorts and the alert line are its own", () => {
  let s = S.initialState(80, null);
  assert.equal(s.slaAlert, 80);
  assert.deepEqual(s.sort.live, { key: "sla_pct_today", dir: "desc" });
  const overview = { at: "2026-11-20T09:50:00+08:00", halls: [puan], totals: puan };
  s = S.reduce(s, { type: "overview", data: overview });
  s = S.reduce(s, { type: "overview_failed", message: "网络连接失败" });
  assert.equal(s.overview, overview);
  assert.equal(s.failure, "网络连接失败");
  s = S.reduce(s, { type: "overview", data: overview });
  assert.equal(s.failure, null);
  s = S.reduce(s, { type: "sort", table: "month", key: "issued" });
  assert.deepEqual(s.sort.month, { key: "issued", dir: "desc" });
  assert.deepEqual(s.sort.live, { key: "sla_pct_today", dir: "desc" }, "the other table keeps its sort");
  assert.equal(S.reduce(s, { type: "sla_alert", value: "120" }).slaAlert, 100);
  assert.equal(S.reduce(s, { type: "sla_alert", value: "abc" }).slaAlert, 80);
  assert.equal(S.reduce(s, { type: "sla_alert", value: "" }).slaAlert, 80);
  assert.equal(S.initialState(80, "70").slaAlert, 70);
  assert.equal(S.initialState(80, "oops").slaAlert, 80);
  assert.equal(S.reduce(s, { type: "unknown" }), s);
});

test("the month runs from the 1st to the county's today, read from the overview's time", () => {
  assert.deepEqual(S.monthToDate("2026-11-20"), { from: "2026-11-01", to: "2026-11-20" });
  assert.deepEqual(S.monthToDate("2027-01-01"), { from: "2027-01-01", to: "2027-01-01" });
  assert.equal(S.todayOf("2026-12-01T00:00:05+08:00", "2026-11-30"), "2026-12-01");
  assert.equal(S.todayOf(null, "2026-11-30"), "2026-11-30");
  assert.equal(S.clockOf("2026-12-01T09:05:07.123+08:00"), "09:05:07");
  assert.equal(S.clockOf(""), "");
});

test("figures format as the page shows them", () => {
  assert.equal(S.pct(100), "100%");
  assert.equal(S.pct(61.25), "61.3%");
  assert.equal(S.pct(null), "—");
  assert.equal(S.minutes(1200), "20");
  assert.equal(S.minutes(90), "1.5");
  assert.equal(S.minutes(null), "—");
  assert.equal(S.km(12.6), "13");
  assert.equal(S.km(null), "—");
});
