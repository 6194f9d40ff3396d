import { test } from "node:test";
import assert from "node:assert/strict";
import { createAnnouncer, withTimeout, chineseVoice } from "../../display/static/announcer.js";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function fakeVoice(ms, events) {
  let speaking = 0;
  return async (text) => {
    speaking += 1;
    events.push({ text, overlapping: speaking > 1, at: Date.now() });
    await sleep(ms);
    speaking -= 1;
    return "audio";
  };
}

test("three quick calls give three whole announcements, in order, never overlapping", async () => {
  const said = [];
  const log = [];
  const a = createAnnouncer({ say: fakeVoice(20, said), log, gapMs: 1 });
  for (const n of ["A001", "A002", "A003"]) a.enqueue({ number: n, window: 1, text: n, spoken: n, repeat: 2 });
  await a.idle();
  assert.deepEqual(said.map((s) => s.text), ["A001", "A001", "A002", "A002", "A003", "A003"]);
  assert.ok(said.every((s) => !s.overlapping));
  assert.deepEqual(log.map((e) => [e.number, e.status, e.plays]), [["A001", "done", 2], ["A002", "done", 2], ["A003", "done", 2]]);
  for (let i = 1; i < log.length; i++) assert.ok(log[i].started >= log[i - 1].ended);
});

test("the repeat setting decides how many times each call is said", async () => {
  const said = [];
  const a = createAnnouncer({ say: fakeVoice(1, said), gapMs: 0 });
  a.enqueue({ number: "A001", window: 1, spoken: "x", repeat: 3 });
  await a.idle();
  assert.equal(said.length, 3);
});

test("the chime comes before the words", async () => {
  const order = [];
  const a = createAnnouncer({ chime: async () => { order.push("chime"); }, say: async (t) => { order.push(t); return "audio"; }, gapMs: 0 });
  a.enqueue({ number: "A001", window: 1, spoken: "words", repeat: 1 });
  await a.idle();
  assert.deepEqual(order, ["chime", "words"]);
});

test("a voice that never finishes times out and the next call is still said", async () => {
  const log = [];
  let calls = 0;
  const a = createAnnouncer({
    log, itemTimeoutMs: 50, gapMs: 0,
    say: (text, signal) => { calls += 1; return text === "stuck" ? new Promise(() => {}) : Promise.resolve("audio"); },
  });
  a.enqueue({ number: "A001", window: 1, spoken: "stuck", repeat: 2 });
  a.enqueue({ number: "A002", window: 2, spoken: "fine", repeat: 1 });
  await a.idle();
  assert.deepEqual(log.map((e) => e.status), ["timeout", "done"]);
  assert.equal(calls, 2);
});

test("a failing voice is recorded as an error and does not stop the queue", async () => {
  const log = [];
  const a = createAnnouncer({ log, gapMs: 0, say: async (t) => { if (t === "bad") throw new Error("boom"); return "audio"; } });
  a.enqueue({ number: "A001", window: 1, spoken: "bad", repeat: 1 });
  a.enqueue({ number: "A002", window: 2, spoken: "ok", repeat: 1 });
  await a.idle();
  assert.deepEqual(log.map((e) => e.status), ["error", "done"]);
});

test("a superseded call is skipped, and a call already waiting is not queued twice", async () => {
  const log = [];
  const said = [];
  const a = createAnnouncer({ log, gapMs: 0, say: fakeVoice(5, said), isCurrent: (item) => item.number !== "A002" });
  a.enqueue({ number: "A001", window: 1, spoken: "A001", repeat: 1 });
  a.enqueue({ number: "A002", window: 2, spoken: "A002", repeat: 1 });
  a.enqueue({ number: "A003", window: 3, spoken: "A003", repeat: 1 });
  a.enqueue({ number: "A003", window: 3, spoken: "A003", repeat: 1 });
  await a.idle();
  assert.deepEqual(said.map((s) => s.text), ["A001", "A003"]);
  assert.deepEqual(log.map((e) => e.status), ["done", "skipped", "done"]);
});

test("a recall during its own announcement is said again afterwards", async () => {
  const said = [];
  const a = createAnnouncer({ say: fakeVoice(20, said), gapMs: 0 });
  a.enqueue({ number: "A001", window: 1, spoken: "A001", repeat: 1 });
  await sleep(5);
  a.enqueue({ number: "A001", window: 1, kind: "recall", spoken: "A001", repeat: 1 });
  await a.idle();
  assert.equal(said.length, 2);
});

test("the log and the queue stay bounded", async () => {
  const log = [];
  const a = createAnnouncer({ log, maxLog: 10, maxPending: 5, gapMs: 0, say: async () => "audio" });
  for (let i = 0; i < 100; i++) a.enqueue({ number: `A${i}`, window: i, spoken: "x", repeat: 1 });
  assert.ok(a.pending <= 5);
  await a.idle();
  assert.equal(log.length, 10);
});

test("withTimeout aborts the work it gives up on", async () => {
  const c = new AbortController();
  await assert.rejects(withTimeout(new Promise(() => {}), 10, c), /timeout/);
  assert.equal(c.signal.aborted, true);
  assert.equal(await withTimeout(Promise.resolve(7), 1000), 7);
});

test("the zh-CN voice is chosen when present, and none when absent", () => {
  const synth = (langs) => ({ getVoices: () => langs.map((lang) => ({ lang, name: lang })) });
  assert.equal(chineseVoice(synth(["en-US", "zh-TW", "zh-CN"])).lang, "zh-CN");
  assert.equal(chineseVoice(synth(["en-US"])), null);
  assert.equal(chineseVoice(undefined), null);
});
