import { test } from "node:test";
import assert from "node:assert/strict";
import { FEEDBACK_TEXT } from "../../queue_server/web/static/manage/feedback_i18n.js";
import { TEXT } from "../../queue_server/web/static/manage/i18n.js";
import * as M from "../../queue_server/web/static/manage/feedback_state.js";

test("/manage 差评整改: both languages have the same keys; English has no Chinese", () => {
  assert.deepEqual(Object.keys(FEEDBACK_TEXT.en).sort(), Object.keys(FEEDBACK_TEXT.zh).sort());
  for (const [k, v] of Object.entries(FEEDBACK_TEXT.en)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
});

test("/manage 差评整改: the texts are merged into the page's table and clash with no other key", () => {
  for (const lang of ["zh", "en"]) {
    for (const [k, v] of Object.entries(FEEDBACK_TEXT[lang])) assert.equal(TEXT[lang][k], v, k);
  }
});

test("/manage 差评整改: labels, tiles, summaries and checks follow the language, Chinese by default", () => {
  assert.equal(M.fbLabel("status", "open"), "待回访");
  assert.equal(M.fbLabel("status", "open", "en"), "To call back");
  assert.equal(M.fbLabel("status", "nonsense", "en"), "");
  assert.equal(M.STATUS_LABELS.closed, "已办结");
  const tiles = M.feedbackTiles({ bad: 1, cannot_do: 0, visited_pct: 50, rectified_on_time_pct: null, open: 2, overdue: 1 }, "en");
  assert.deepEqual(tiles.map((k) => k.key), M.feedbackTiles({ bad: 1, cannot_do: 0, open: 2, overdue: 1 }).map((k) => k.key));
  assert.equal(tiles[0].label, "Bad ratings");
  assert.equal(M.itemSummary({ kind: "bad_grade", window: 3, clerk_name: "李芳", ticket_number: "A007", grade: 1 }, "en"),
    "Window 3 · 李芳 · A007 · Very dissatisfied");
  assert.equal(M.itemSummary({ kind: "cannot_do", matter_name: "残疾人证办理" }, "en"), "Matter: 残疾人证办理");
  assert.equal(M.checkStep("visit", { method: "", note: "x" }, "en"), "Choose how you called back");
  assert.equal(M.byLabel("resident:report", "en"), "resident");
});
