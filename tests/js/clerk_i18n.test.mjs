import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as S from "../../queue_server/web/static/clerk/state.js";
import * as I from "../../queue_server/web/static/clerk/i18n.js";

const template = readFileSync(new URL("../../queue_server/web/templates/clerk.html", import.meta.url), "utf8");

test("both languages have the same keys, and every English text differs from Chinese except names", () => {
  assert.deepEqual(Object.keys(I.TEXT.en).sort(), Object.keys(I.TEXT.zh).sort());
  for (const [k, v] of Object.entries(I.TEXT.en)) {
    assert.ok(v.length > 0, k);
    if (k !== "brand_sub") assert.doesNotMatch(v, /[\u4e00-\u9fff]/, `${k} is English`);
  }
});

test("every data-i18n key of the template exists", () => {
  const keys = [...template.matchAll(/data-i18n(?:-aria|-title)?="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(keys.includes("call_next") && keys.length > 20);
  for (const k of keys) assert.ok(k in I.TEXT.zh && k in I.TEXT.en, k);
});

test("the language: ?lang= wins, then the stored choice, then Chinese", () => {
  assert.equal(I.pickLang("", null), "zh");
  assert.equal(I.pickLang("", "en"), "en");
  assert.equal(I.pickLang("?lang=zh", "en"), "zh");
  assert.equal(I.pickLang("?x=1&lang=en", null), "en");
  assert.equal(I.pickLang("", "fr"), "zh");
  assert.equal(I.otherLang("zh"), "en");
  assert.equal(I.otherLang("en"), "zh");
});

test("the choice is stored under the console's own key, and a broken storage falls back to Chinese", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.equal(I.loadLang(storage, ""), "zh");
  I.saveLang("en", storage);
  assert.equal(store.get(I.LANG_KEY), "en");
  assert.equal(I.LANG_KEY, "hall.lang.clerk");
  assert.equal(I.loadLang(storage, ""), "en");
  const broken = { getItem: () => { throw new Error("denied"); }, setItem: () => { throw new Error("denied"); } };
  assert.equal(I.loadLang(broken, ""), "zh");
  assert.doesNotThrow(() => I.saveLang("en", broken));
});

test("the translator fills placeholders and falls back to Chinese, then to the key", () => {
  const t = I.translator("en");
  assert.equal(t("call_next"), "Call next");
  assert.equal(t("win_title", { n: 3 }), "Window 3");
  assert.equal(I.translator("zh")("win_title", { n: 3 }), "3 号窗口");
  assert.equal(I.translator("xx")("call_next"), "叫下一位");
  assert.equal(t("no_such_key"), "no_such_key");
});

test("names come from name_en in English and fall back to Chinese", () => {
  const catalog = {
    categories: [{ code: "G", name: "税务", name_en: "Taxation", services: [
      { code: "invoice", name: "发票办理", name_en: "Invoices" }, { code: "tax", name: "纳税申报", name_en: "" }] }],
    windows: [{ number: 1, name: "综合受理", name_en: "Reception" }, { number: 2, name: "二号", name_en: "" }],
  };
  assert.equal(S.serviceName(catalog, "invoice", "en"), "Invoices");
  assert.equal(S.serviceName(catalog, "invoice", "zh"), "发票办理");
  assert.equal(S.serviceName(catalog, "tax", "en"), "纳税申报");
  assert.equal(S.serviceName(catalog, "nope", "en"), "");
  assert.equal(S.categoryName(catalog, "G", "en"), "Taxation");
  assert.equal(S.windowName(catalog, 1, "综合受理", "en"), "Reception");
  assert.equal(S.windowName(catalog, 2, "二号", "en"), "二号");
  assert.equal(S.windowName(catalog, 1, "综合受理", "zh"), "综合受理");
  assert.deepEqual(S.serviceOptions(catalog, "en")[0], { code: "invoice", name: "Invoices", category: "G", categoryName: "Taxation" });
  assert.equal(S.serviceOptions(catalog)[0].name, "发票办理");
});

test("status, outcome, priority and channel labels in both languages", () => {
  assert.equal(S.codeLabel("st_", "serving", "en"), "Serving");
  assert.equal(S.codeLabel("st_", "serving"), "办理中");
  assert.equal(S.codeLabel("ws_", "paused", "en"), "Paused");
  assert.equal(S.codeLabel("o_", "incomplete", "en"), "Materials missing");
  assert.equal(S.codeLabel("pr_", "veteran", "en"), "Veteran");
  assert.equal(S.codeLabel("ch_", "kiosk", "en"), "Kiosk");
  assert.equal(S.codeLabel("st_", "mystery", "en"), "mystery");
  assert.equal(S.STATUS_LABELS.serving, "办理中");
  for (const s of S.SHORTCUTS) assert.ok(s.text in I.TEXT.en && s.label === I.TEXT.zh[s.text], s.text);
});

test("refusals are explained in English too, keeping the server's message", () => {
  const e = S.explainError("window_busy", "A001 尚未办结", "en");
  assert.match(e.title, /^This window still has a current ticket/);
  assert.equal(e.detail, "A001 尚未办结");
  assert.equal(S.explainError("mystery", "", "en").title, "The action failed");
  assert.equal(S.explainError("window_busy", "").title, S.ERROR_HINTS.window_busy);
});

test("durations read as minutes and seconds in English", () => {
  assert.equal(S.formatDuration(725, "en"), "12 min 05 s");
  assert.equal(S.formatDuration(3720, "en"), "1 h 02 min");
  assert.equal(S.formatDuration(9, "en"), "9 s");
  assert.equal(S.formatDuration(725), "12 分 05 秒");
});

const held = () => {
  let s = S.initialState();
  s = S.reduce(s, { type: "me", me: { username: "li" } });
  s = S.reduce(s, { type: "windows", windows: [{ number: 1, status: "open", clerk: { username: "li" }, current: null, services: [] }] });
  return s;
};

test("a notice follows the language: said in English, re-said in Chinese after the switch", () => {
  let s = S.reduce(held(), { type: "lang", lang: "en" });
  assert.equal(s.lang, "en");
  s = S.reduce(s, { type: "done", action: "call-next", result: { ticket: { id: 7, number: "G007", status: "called" } } });
  assert.equal(s.notice, "Calling G007");
  s = S.reduce(s, { type: "lang", lang: "zh" });
  assert.equal(s.notice, "正在呼叫 G007");
  s = S.reduce(s, { type: "done", action: "call-next", result: null });
  assert.equal(s.notice, "当前没有可叫的号码");
  s = S.reduce(s, { type: "lang", lang: "en" });
  assert.equal(s.notice, "Nobody to call");
  s = S.reduce(s, { type: "dismiss" });
  s = S.reduce(s, { type: "lang", lang: "zh" });
  assert.equal(s.notice, null);
});

test("a refusal and a login error follow the language; logging out keeps it", () => {
  let s = S.reduce(held(), { type: "failed", action: "call-next", code: "window_closed", message: "窗口未开启" });
  assert.equal(s.error.title, S.ERROR_HINTS.window_closed);
  s = S.reduce(s, { type: "lang", lang: "en" });
  assert.match(s.error.title, /paused or not open/);
  assert.equal(s.error.detail, "窗口未开启");
  assert.equal(s.error.action, "call-next");
  s = S.reduce(s, { type: "logged-out" });
  assert.equal(s.lang, "en");
  s = S.reduce(s, { type: "login-error", key: "bad_login" });
  assert.equal(s.loginError, "Wrong username or password");
  s = S.reduce(s, { type: "lang", lang: "zh" });
  assert.equal(s.loginError, "用户名或密码不正确");
  s = S.reduce(s, { type: "login-error", message: "服务器错误" });
  s = S.reduce(s, { type: "lang", lang: "en" });
  assert.equal(s.loginError, "服务器错误", "a server message is shown as it came");
});

test("an unknown language means Chinese; switching changes nothing but the words", () => {
  const before = held();
  const after = S.reduce(before, { type: "lang", lang: "fr" });
  assert.equal(after.lang, "zh");
  assert.deepEqual(S.controls(after), S.controls(before));
  assert.deepEqual(S.keyCommand("+"), { action: "call-next" });
});
