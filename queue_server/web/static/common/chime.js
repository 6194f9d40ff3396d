// @ts-check
// A short rising chime made with WebAudio (no audio file, no internet) for staff pages: a call for
// a guide. Each play is logged in window.__chimes, so a test (or a curious admin) can see it happened.

/** @typedef {{ kind: string, at: number, played: boolean }} ChimeEntry */

/** @type {AudioContext | null} */
let ctx = null;

function audio() {
  if (ctx) return ctx;
  const Ctx = window.AudioContext || /** @type {any} */ (window).webkitAudioContext;
  if (!Ctx) return null;
  try { ctx = new Ctx(); } catch (e) { ctx = null; }
  return ctx;
}

/** Let sound play after the first click anywhere: browsers hold audio back until a user gesture. */
export function unlockOnGesture() {
  const unlock = () => { const c = audio(); if (c && c.state === "suspended") c.resume().catch(() => {}); };
  document.addEventListener("pointerdown", unlock, { once: true });
  document.addEventListener("keydown", unlock, { once: true });
}

/**
 * Play three rising notes (about 0.7 s) and log it; return whether the audio device took it.
 * @param {string} kind what the chime announces, for the log
 * @returns {boolean}
 */
export function chime(kind) {
  const c = audio();
  const w = /** @type {{ __chimes?: ChimeEntry[] }} */ (/** @type {unknown} */ (window));
  const log = w.__chimes || (w.__chimes = []);
  let played = false;
  if (c) {
    if (c.state === "suspended") c.resume().catch(() => {});
    const start = c.currentTime + 0.03;
    [660, 880, 1175].forEach((freq, i) => {
      const at = start + i * 0.2;
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.5, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.3);
      osc.connect(gain).connect(c.destination);
      osc.start(at);
      osc.stop(at + 0.32);
    });
    played = c.state === "running";
  }
  log.push({ kind, at: Date.now(), played });
  if (log.length > 50) log.splice(0, log.length - 50);
  return played;
}
