// @ts-check
// A websocket to /ws/hall that never gives up: backoff of at most 5 s, resuming with ?since=.
//
// The caller supplies onMessage(msg) (snapshot or event) and onStatus(connected: boolean).
// The socket remembers the last seq it saw so that a reconnect asks only for what it missed;
// the server answers with a fresh snapshot instead when that is too far behind. The socket is the
// page's hall's (/h/{code}/ws/hall under a hall prefix).

import { socketUrl } from "./hall.js";

/**
 * Return how long to wait before reconnection attempt number `attempt` (0-based), in ms.
 * @param {number} attempt
 */
export function backoffDelay(attempt) {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

/**
 * A message of the hall stream: a snapshot or an event. Pages read the fields they know.
 * @typedef {{ type: string, seq?: number, [field: string]: any }} HallMessage
 */

/**
 * @typedef {object} HallOptions
 * @property {(msg: HallMessage) => void} onMessage
 * @property {(connected: boolean) => void} [onStatus]
 * @property {string} [path]
 * @property {typeof WebSocket} [WebSocketImpl]
 */

/**
 * Connect to the hall stream and keep connected until stop().
 * @param {HallOptions} options
 */
export function connectHall({ onMessage, onStatus = () => {}, path = "/ws/hall", WebSocketImpl = WebSocket }) {
  /** @type {number | null} */
  let lastSeq = null;
  let attempt = 0;
  /** @type {WebSocket | null} */
  let ws = null;
  let stopped = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  function url() {
    const since = lastSeq === null ? "" : `?since=${lastSeq}`;
    return socketUrl(path) + since;
  }

  function open() {
    if (stopped) return;
    const socket = new WebSocketImpl(url());
    ws = socket;
    socket.onopen = () => { attempt = 0; onStatus(true); };
    socket.onmessage = (ev) => {
      /** @type {HallMessage} */
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (typeof msg.seq === "number") {
        if (msg.type !== "snapshot" && lastSeq !== null && msg.seq !== lastSeq + 1 && msg.seq > lastSeq + 1) {
          // A hole in the stream: reconnect and let the server replay from lastSeq.
          socket.close();
          return;
        }
        if (msg.type !== "snapshot" && lastSeq !== null && msg.seq <= lastSeq) return;
        lastSeq = msg.seq;
      }
      onMessage(msg);
    };
    socket.onclose = () => {
      onStatus(false);
      if (stopped) return;
      timer = setTimeout(open, backoffDelay(attempt++));
    };
    socket.onerror = () => { try { socket.close(); } catch (e) { /* already closing */ } };
  }

  open();
  return {
    stop() { stopped = true; clearTimeout(timer); if (ws) ws.close(); },
    get lastSeq() { return lastSeq; },
  };
}
