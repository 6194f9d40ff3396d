import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as S from "../../queue_server/web/static/pad/state.js";
import * as I from "../../queue_server/web/static/pad/i18n.js";

const template = readFileSync(new URL("../../queue_server/web/templates/pad.html", import.meta.url), "utf8");
const finished = (window, number = "A007") => ({ type: "hall", msg: { type: "ticket.finished", seq: 5, window, ticket: { id: 7, number, window } } });

test("both languages have the same keys; English has no Chinese except the toggle's label", () => {
  assert.deepEqual(Object.keys(I.TEXT.en).sort(), Object.keys(I.TEXT.zh).sort());
  for (const [k, v] of Object.entries(I.TEXT.en)) {
    if (k !== "lang_aria") assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  }
});

test("every data-i18n key of the template exists, and every grade and reason has one", () => {
  const keys = [...template.matchAll(/data-i18n(?:-aria)?="([^"]+)"/g)].map((m) => m[1]);
  for (const k of keys) assert.ok(k in I.TEXT.zh && k in I.TEXT.en, k);
  for (const [g] of S.GRADES) assert.ok(keys.includes("g" + g), "g" + g);
  for (const r of S.REASONS) assert.ok(keys.includes(S.REASON_KEYS[r]), r);
});

test("the pad remembers its own language; ?lang= wins; Chinese otherwise", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.equal(I.loadLang(storage, ""), "zh");
  I.saveLang("en", storage);
  assert.equal(store.get("hall.lang.pad"), "en");
  assert.equal(I.loadLang(storage, ""), "en");
  assert.equal(I.loadLang(storage, "?lang=zh"), "zh");
  assert.equal(I.otherLang("en"), "zh");
  assert.equal(I.translator("en")("win_title", { n: 4 }), "Window 4");
  assert.equal(I.translator("zh")("win_title", { n: 4 }), "4 号窗口");
});

test("grade labels in both languages", () => {
  assert.equal(S.gradeLabel(5, "en"), "Very satisfied");
  assert.equal(S.gradeLabel(1, "en"), "Very dissatisfied");
  assert.equal(S.gradeLabel(5), "非常满意");
  assert.equal(S.gradeLabel(null, "en"), "");
  assert.equal(S.gradeLabel(9, "en"), "");
});

test("messages follow the language; a server's own words show in Chinese, a plain retry in English", () => {
  const sending = S.reduce(S.reduce(S.initialState(3), finished(3)), { type: "grade", grade: 4 });
  const already = S.reduce(sending, { type: "send-failed", code: "already_evaluated" });
  assert.equal(S.messageText(already, "zh"), "本次服务已经评价过了");
  assert.equal(S.messageText(already, "en"), "This service has already been rated");
  const late = S.reduce(sending, { type: "send-failed", code: "ticket_not_done" });
  assert.equal(late.phase, "expired");
  assert.equal(S.messageText(late, "en"), "The time to rate has passed. Thank you");
  const net = S.reduce(sending, { type: "send-failed", code: "network", message: "网络连接失败" });
  assert.equal(net.message, "网络连接失败");
  assert.equal(S.messageText(net, "en"), "Network error. Please try again");
  const other = S.reduce(sending, { type: "send-failed", code: "invalid", message: "评分无效" });
  assert.equal(S.messageText(other, "zh"), "评分无效");
  assert.equal(S.messageText(other, "en"), "Sending failed. Please try again");
  const bare = S.reduce(sending, { type: "send-failed", code: "boom" });
  assert.equal(S.messageText(bare, "zh"), "提交失败，请重试");
  const idle = S.reduce(bare, { type: "timeout", phase: "error" });
  assert.equal(S.messageText(idle, "en"), "");
  assert.equal(idle.messageKey, null);
});
