import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as I from "../../queue_server/web/static/agent/i18n.js";
import { draftProblem, GROUPS, initial, reduce, STATUS } from "../../queue_server/web/static/agent/state.js";

const template = readFileSync(new URL("../../queue_server/web/templates/agent.html", import.meta.url), "utf8");
const script = readFileSync(new URL("../../queue_server/web/static/agent/main.js", import.meta.url), "utf8");
// Matter names are searched in Chinese, so the English search hint keeps Chinese examples.
const CHINESE_ON_PURPOSE = new Set(["guide_ph"]);

test("/agent: both languages have the same keys; English has no Chinese", () => {
  assert.deepEqual(Object.keys(I.TEXT.en).sort(), Object.keys(I.TEXT.zh).sort());
  for (const [k, v] of Object.entries(I.TEXT.en)) {
    if (!CHINESE_ON_PURPOSE.has(k)) assert.doesNotMatch(v, /[\u4e00-\u9fff]/, k);
  }
});

test("/agent: every key the template and the script name exists; every group and status has a name", () => {
  const keys = [...template.matchAll(/data-i18n(?:-ph|-aria)?="([^"]+)"/g), ...script.matchAll(/\bt\("([a-z_]+)"[,)]/g)].map((m) => m[1]);
  assert.ok(keys.length > 40);
  for (const k of keys) assert.ok(k in I.TEXT.zh, k);
  for (const g of Object.keys(GROUPS)) assert.ok(`g_${g}` in I.TEXT.zh, g);
  for (const s of Object.keys(STATUS)) assert.equal(I.TEXT.zh[`st_${s}`], STATUS[s], s);
});

test("/agent: its own remembered language; the draft's problems in either language", () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) };
  assert.equal(I.loadLang(storage, ""), "zh");
  I.saveLang("en", storage);
  assert.equal(store.get("hall.lang.agent"), "en");
  assert.equal(I.loadLang(storage, ""), "en");
  assert.equal(I.loadLang(storage, "?lang=zh"), "zh");
  const s = reduce(initial(), { type: "add", matter: { code: "M1", name: "残疾证", materials: [] } });
  assert.match(draftProblem(s.draft), /姓名/);
  assert.equal(draftProblem(s.draft, "en"), "No. 1 has no resident's name yet");
});
