import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as I from "../../queue_server/web/static/manage/i18n.js";
import { codeLabel, formatDuration, formatMinutes, kpiTiles, OUTCOME_LABELS, windowView } from "../../queue_server/web/static/manage/state.js";
import { barOption, hbarOption, shareOption } from "../../queue_server/web/static/manage/charts.js";

const template = readFileSync(new URL("../../queue_server/web/templates/manage.html", import.meta.url), "utf8");
const summary = {
  issued: 80, served: 71, no_show: 8, no_show_pct: 10.1,
  wait: { avg: 512, p50: 502, p90: 1159, max: 1453 }, service: { avg: 373, p90: 663 },
  sla: { threshold: 900, within: 59, called: 80, within_pct: 73.8 },
  satisfaction: { satisfied_pct: 88, count: 50, avg: 4.5 }, eta_mae_minutes: 2.31,
};

test("both languages have the same keys; English has no Chinese", () => {
  assert.deepEqual(Object.keys(I.TEXT.en).sort(), Object.keys(I.TEXT.zh).sort());
  for (const [k, v] of Object.entries(I.TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
});

test("every data-i18n key of the template exists", () => {
  const keys = [...template.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.includes("cap_hour") && keys.includes("note") && keys.length > 30);
  for (const k of keys) assert.ok(k in I.TEXT.zh && k in I.TEXT.en, k);
});

test("the page remembers its own language; ?lang= wins", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.equal(I.loadLang(storage, ""), "zh");
  I.saveLang("en", storage);
  assert.equal(store.get("hall.lang.manage"), "en");
  assert.equal(I.loadLang(storage, "?lang=zh"), "zh");
  assert.equal(I.translator("en")("note", { sla: 15 }).includes("at most 15 minutes"), true);
  assert.equal(I.localName({ name: "税务", name_en: "Taxation" }, "en"), "Taxation");
  assert.equal(I.localName({ name: "税务", name_en: "" }, "en"), "税务");
});

test("KPI tiles are labelled in the language, with the same keys and values", () => {
  const zh = kpiTiles(summary, 15);
  const en = kpiTiles(summary, 15, "en");
  assert.deepEqual(en.map((x) => x.key), zh.map((x) => x.key));
  assert.equal(zh[0].label, "取号");
  assert.equal(en[0].label, "Tickets");
  assert.equal(en.find((x) => x.key === "sla").label, "Called within 15 min");
  assert.equal(en.find((x) => x.key === "sla").sub, "59 / 80");
  assert.equal(en.find((x) => x.key === "wait_avg").value, "8m32s");
  assert.equal(zh.find((x) => x.key === "wait_avg").value, "8分32秒");
  assert.equal(en.find((x) => x.key === "eta").value, "2.31 min");
  for (const x of en) assert.doesNotMatch(`${x.label}${x.unit || ""}${x.sub || ""}`, /[\u4e00-\u9fff]/, x.key);
});

test("durations, minutes, window states and codes in English", () => {
  assert.equal(formatDuration(45, "en"), "45s");
  assert.equal(formatDuration(3720, "en"), "1h02m");
  assert.equal(formatDuration(null, "en"), "—");
  assert.equal(formatMinutes(330, "en"), "5.5 min");
  assert.equal(formatMinutes(330), "5.5分");
  assert.equal(windowView({ status: "paused" }, "en").label, "Paused");
  assert.equal(windowView({ status: "open", current: { status: "serving" } }, "en").label, "Serving");
  assert.deepEqual(windowView({ status: "open", eligible_waiting: 2 }, "en"), { label: "Free (people waiting)", cls: "idle-warn" });
  assert.equal(windowView({ status: "open" }).label, "空闲");
  for (const k of Object.keys(OUTCOME_LABELS)) assert.notEqual(codeLabel("o_", k, "en"), k);
  assert.equal(codeLabel("ch_", "kiosk", "en"), "Kiosk");
  assert.equal(codeLabel("ch_", "fax", "en"), "fax");
});

test("charts take the empty text and brackets of the language; long labels are cut, but not in the tooltip", () => {
  assert.equal(barOption([], { emptyText: "No data in this period" }).title.text, "No data in this period");
  assert.equal(barOption([]).title.text, "本区间暂无数据");
  assert.equal(hbarOption([], { emptyText: "No data" }).title.text, "No data");
  const items = [{ label: "Done", value: 3 }, { label: "Deferred", value: 1 }];
  const share = shareOption(items, { paren: [" (", ")"] });
  const label = share.series[0].label.formatter({ name: "Done", value: 3 });
  assert.ok(label === "Done 3 (75.0%)" && !label.includes("（"));
  assert.equal(share.tooltip.valueFormatter(3), "3 (75.0%)");
  assert.equal(shareOption([{ label: "办结", value: 1 }]).series[0].label.formatter({ name: "办结", value: 1 }), "办结 1（100.0%）");
  const long = hbarOption([{ label: "Real estate registration and land ownership", value: 2 }], { maxLabel: 20 });
  assert.equal(long.yAxis.axisLabel.formatter(long.yAxis.data[0]), "Real estate registr…");
  assert.equal(long.yAxis.data[0], "Real estate registration and land ownership", "the tooltip names the bar by its whole label");
  assert.equal(long.tooltip.formatter, undefined);
  const texts = hbarOption([{ label: "A", value: 2, text: "2 people · 5 min" }, { label: "B", value: 1 }]);
  assert.deepEqual([texts.tooltip.valueFormatter(2, 0), texts.tooltip.valueFormatter(1, 1)], ["2 people · 5 min", "1"]);
});
