// @ts-check
// The called alert's sound and vibration: WebAudio beeps (no audio files) and navigator.vibrate.

/** @type {AudioContext | null} */
let ctx = null;

function audio() {
  if (ctx) return ctx;
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return null;
  try { ctx = new Ctx(); } catch (e) { ctx = null; }
  return ctx;
}

/** Try to allow sound; phones only allow it after a tap. Return true if sound can play. */
export async function unlockSound() {
  const c = audio();
  if (!c) return false;
  if (c.state === "suspended") {
    try { await c.resume(); } catch (e) { /* still locked */ }
  }
  return c.state === "running";
}

/** Tell whether sound is currently blocked by the browser. */
export function soundBlocked() {
  const c = audio();
  return !!c && c.state !== "running";
}

/** Play a loud two-tone chime three times (about 2.5 s). */
export function chime() {
  const c = audio();
  if (!c) return false;
  if (c.state === "suspended") c.resume().catch(() => {});
  const start = c.currentTime + 0.05;
  for (let r = 0; r < 3; r++) {
    [[880, 0], [660, 0.35]].forEach(([freq, offset]) => {
      const at = start + r * 0.85 + offset;
      const osc = c.createOscillator();
      const gain = c.createGain();
      osc.type = "square";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.32);
      osc.connect(gain).connect(c.destination);
      osc.start(at);
      osc.stop(at + 0.34);
    });
  }
  return true;
}

/** Vibrate in a long pattern, where the phone supports it. */
export function vibrate() {
  if (typeof navigator.vibrate !== "function") return false;
  try { return navigator.vibrate([600, 200, 600, 200, 600, 200, 1000]); } catch (e) { return false; }
}
