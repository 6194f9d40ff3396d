// @ts-check
// The board's voice: a queue of announcements that never cut each other off.
//
// createAnnouncer() holds the queue and its bookkeeping and knows nothing about audio, so
// node --test can drive it with fake voices. browserVoice() and webAudioChime() are the real
// outputs: the browser's zh-CN voice where one exists, else WAV synthesised by the server
// offline (/api/tts), after a chime made with WebAudio (no file, no internet).

/**
 * A call to announce: who, where, the words shown and said, and how many times.
 * @typedef {{ number: string, window: number, kind?: string, text?: string, spoken?: string, repeat?: number }} Call
 */

/**
 * What the log (window.__announcements) records of one call.
 * @typedef {object} Entry
 * @property {number} id
 * @property {string} number
 * @property {number} window
 * @property {string | undefined} kind
 * @property {string | undefined} text
 * @property {string | undefined} spoken
 * @property {string | null} source "speech" or "audio": which voice said it
 * @property {number} plays
 * @property {string} status queued | speaking | done | skipped | dropped | timeout | error
 * @property {number} queued
 * @property {number | null} started
 * @property {number | null} ended
 * @property {string} [error]
 */

/** @typedef {(text: string, signal: AbortSignal, call: Call) => Promise<string>} Say */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolve with the promise's value, or reject after ms and abort the work behind it.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {AbortController} [controller]
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, controller) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => {
      if (controller) controller.abort();
      reject(new Error("timeout"));
    }, ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/**
 * Create the announcement queue.
 * say(text, signal, call) → Promise<source> speaks once; chime(signal) → Promise plays the chime;
 * isCurrent(item) says whether the call still stands (a superseded call is skipped);
 * log is the observable record (window.__announcements on the board), trimmed to maxLog.
 * @param {object} options
 * @param {Say} options.say
 * @param {(signal: AbortSignal) => Promise<void>} [options.chime]
 * @param {(item: Call) => boolean} [options.isCurrent]
 * @param {unknown[]} [options.log]
 * @param {() => number} [options.now]
 * @param {number} [options.itemTimeoutMs]
 * @param {number} [options.gapMs]
 * @param {number} [options.maxPending]
 * @param {number} [options.maxLog]
 */
export function createAnnouncer({
  say, chime = async () => {}, isCurrent = () => true, log = [], now = () => Date.now(),
  itemTimeoutMs = 60000, gapMs = 600, maxPending = 20, maxLog = 100,
}) {
  /** @type {{ item: Call & { repeat: number }, entry: Entry }[]} */
  const pending = [];
  let running = false;
  let nextId = 1;

  function trim() {
    if (log.length > maxLog) log.splice(0, log.length - maxLog);
  }

  /**
   * @param {Call & { repeat: number }} item
   * @param {Entry} entry
   * @param {AbortSignal} signal
   */
  async function speakItem(item, entry, signal) {
    await chime(signal);
    for (let i = 0; i < item.repeat; i++) {
      if (signal.aborted) throw new Error("timeout");
      entry.source = await say(/** @type {string} */ (item.spoken), signal, item);
      entry.plays += 1;
      if (i < item.repeat - 1) await sleep(gapMs);
    }
  }

  async function drain() {
    if (running) return;
    running = true;
    try {
      while (pending.length) {
        const { item, entry } = /** @type {(typeof pending)[number]} */ (pending.shift());
        if (!isCurrent(item)) { entry.status = "skipped"; continue; }
        entry.status = "speaking";
        entry.started = now();
        const controller = new AbortController();
        try {
          await withTimeout(speakItem(item, entry, controller.signal), itemTimeoutMs, controller);
          entry.status = "done";
        } catch (e) {
          // A broken voice must never hold up the calls behind it.
          const err = /** @type {Error | null | undefined} */ (e);
          entry.status = err && err.message === "timeout" ? "timeout" : "error";
          entry.error = String((err && err.message) || err);
        }
        entry.ended = now();
      }
    } finally {
      running = false;
    }
  }

  return {
    /**
     * Queue a call {number, window, kind, text, spoken, repeat}; return its log entry.
     * @param {Call} item
     * @returns {Entry}
     */
    enqueue(item) {
      const same = pending.find((p) => p.item.number === item.number && p.item.window === item.window);
      if (same) return same.entry; // not started yet: it will be said anyway
      /** @type {Entry} */
      const entry = { id: nextId++, number: item.number, window: item.window, kind: item.kind,
        text: item.text, spoken: item.spoken, source: null, plays: 0, status: "queued",
        queued: now(), started: null, ended: null };
      log.push(entry);
      trim();
      pending.push({ item: { repeat: 2, ...item }, entry });
      while (pending.length > maxPending) {
        const dropped = pending.shift();
        if (dropped) dropped.entry.status = "dropped";
      }
      drain();
      return entry;
    },
    get pending() { return pending.length; },
    get busy() { return running; },
    /** Resolve once the queue is empty and nothing is being said. */
    async idle() { while (running || pending.length) await sleep(50); },
  };
}

/**
 * Return the browser's zh-CN voice, or null when it has none (headless, many Linux boxes).
 * @param {{ getVoices?: () => SpeechSynthesisVoice[] } | undefined} [synth]
 * @returns {SpeechSynthesisVoice | null}
 */
export function chineseVoice(synth = globalThis.speechSynthesis) {
  if (!synth || typeof synth.getVoices !== "function") return null;
  const voices = synth.getVoices() || [];
  return voices.find((v) => /^zh[-_]CN$/i.test(v.lang)) ||
    voices.find((v) => /^(zh|cmn)([-_]Hans)?([-_]CN)?$/i.test(v.lang)) || null;
}

/**
 * @param {SpeechSynthesis} synth
 * @param {SpeechSynthesisVoice} voice
 * @param {string} text
 * @param {AbortSignal} signal
 * @returns {Promise<string>}
 */
function speakWithVoice(synth, voice, text, signal) {
  return new Promise((resolve, reject) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = "zh-CN";
    u.rate = 0.9;
    u.onend = () => resolve("speech");
    u.onerror = (e) => reject(new Error("speech: " + (e.error || "error")));
    signal.addEventListener("abort", () => synth.cancel(), { once: true });
    synth.speak(u);
  });
}

/**
 * @param {HTMLAudioElement} audio
 * @param {string} url
 * @param {AbortSignal} signal
 * @param {number} playTimeoutMs
 * @returns {Promise<string>}
 */
function playAudio(audio, url, signal, playTimeoutMs) {
  return new Promise((resolve, reject) => {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    /** @param {() => void} fn */
    const done = (fn) => {
      clearTimeout(timer);
      audio.onended = audio.onerror = audio.onloadedmetadata = null;
      fn();
    };
    audio.onended = () => done(() => resolve("audio"));
    audio.onerror = () => done(() => reject(new Error("audio: cannot play " + url)));
    audio.onloadedmetadata = () => {
      // Allow the clip's own length plus slack, so a stalled element cannot hang the queue.
      clearTimeout(timer);
      const ms = Number.isFinite(audio.duration) ? audio.duration * 1000 + 3000 : playTimeoutMs;
      timer = setTimeout(() => done(() => reject(new Error("audio: stalled"))), ms);
    };
    signal.addEventListener("abort", () => { audio.pause(); done(() => reject(new Error("timeout"))); }, { once: true });
    timer = setTimeout(() => done(() => reject(new Error("audio: no response"))), playTimeoutMs);
    audio.src = url;
    const p = audio.play();
    if (p && p.catch) p.catch((e) => done(() => reject(e)));
  });
}

/**
 * Return say(text, signal, call): the zh-CN voice if present, else the server's offline WAV of call {number, window}.
 * The board passes the speech URL of its hall (hallUrl("/api/tts")).
 * @param {{ ttsPath?: string, playTimeoutMs?: number }} [options]
 * @returns {Say}
 */
export function browserVoice({ ttsPath = "/api/tts", playTimeoutMs = 15000 } = {}) {
  const synth = globalThis.speechSynthesis;
  // One element for the life of the page: memory stays flat over weeks.
  const audio = new Audio();
  audio.preload = "auto";
  return async function say(text, signal, call) {
    const voice = chineseVoice(synth);
    if (voice) return speakWithVoice(synth, voice, text, signal);
    // The server derives the words from the call itself: it never speaks text it is sent.
    const query = `number=${encodeURIComponent(call.number)}&window=${encodeURIComponent(call.window)}`;
    return playAudio(audio, `${ttsPath}?${query}`, signal, playTimeoutMs);
  };
}

/** Return chime(signal): a two-note ding-dong made with WebAudio, about one second long. */
export function webAudioChime() {
  /** @type {AudioContext | null} */
  let ctx = null;
  return async function chime() {
    try {
      const AC = globalThis.AudioContext || /** @type {Window} */ (/** @type {unknown} */ (globalThis)).webkitAudioContext;
      if (AC && !ctx) ctx = new AC();
      if (ctx) {
        if (ctx.state === "suspended") await Promise.race([ctx.resume(), sleep(300)]);
        const t0 = ctx.currentTime + 0.02;
        const audio = ctx;
        [[880, 0], [659, 0.45]].forEach(([freq, at]) => {
          const osc = audio.createOscillator();
          const gain = audio.createGain();
          osc.type = "sine";
          osc.frequency.value = freq;
          gain.gain.setValueAtTime(0.0001, t0 + at);
          gain.gain.exponentialRampToValueAtTime(0.5, t0 + at + 0.02);
          gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.6);
          osc.connect(gain).connect(audio.destination);
          osc.start(t0 + at);
          osc.stop(t0 + at + 0.65);
        });
      }
    } catch (e) {
      // No sound card: the words matter more than the chime.
    }
    await sleep(1100);
  };
}
