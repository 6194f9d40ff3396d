import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { FEEDBACK_TEXT, feedbackTranslator } from "../../queue_server/web/static/mobile/feedback_i18n.js";
import { TEXT } from "../../queue_server/web/static/mobile/i18n.js";
import { checkReport, counterText } from "../../queue_server/web/static/mobile/feedback_state.js";

const template = readFileSync(new URL("../../queue_server/web/templates/mobile_feedback.html", import.meta.url), "utf8");
// Matter names are searched in Chinese, so the English search hint keeps Chinese examples.
const CHINESE_ON_PURPOSE = new Set(["f_q_ph"]);

test("/m/feedback: both languages have the same keys; English has no Chinese", () => {
  assert.deepEqual(Object.keys(FEEDBACK_TEXT.en).sort(), Object.keys(FEEDBACK_TEXT.zh).sort());
  for (const [k, v] of Object.entries(FEEDBACK_TEXT.en)) {
    if (!CHINESE_ON_PURPOSE.has(k)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  }
  assert.ok("to_feedback" in TEXT.zh && "to_feedback" in TEXT.en);
});

test("/m/feedback: every key the template names exists", () => {
  const keys = [...template.matchAll(/data-fi18n(?:-ph|-aria)?="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.length >= 15);
  for (const k of keys) assert.ok(k in FEEDBACK_TEXT.zh, k);
});

test("/m/feedback: checks and the counter speak the page's language, Chinese by default", () => {
  assert.equal(checkReport({ description: "" }), "请写下遇到的问题");
  assert.equal(checkReport({ description: "" }, "en"), "Please describe the problem");
  assert.match(checkReport({ description: "x", phone: "123" }, "en"), /11 digits/);
  assert.equal(counterText("abc", "en"), "497 characters left");
  assert.equal(counterText("办".repeat(502), "en"), "2 characters too many");
  assert.equal(feedbackTranslator("en")("f_intro", { days: 5 }).includes("within 5 working days"), true);
});
