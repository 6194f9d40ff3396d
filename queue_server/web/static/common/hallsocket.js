// A websocket to /ws/hall that never gives up: backoff of at most 5 s, resuming with ?since=.
//
// The caller supplies onMessage(msg) (snapshot or event) and onStatus(connected: boolean).
// The socket remembers the last seq it saw so that a reconnect asks only for what it missed;
// the server answers with a fresh snapshot instead when that is too far behind.

export function backoffDelay(attempt) {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

export function connectHall({ onMessage, onStatus = () => {}, path = "/ws/hall", WebSocketImpl = WebSocket }) {
  let lastSeq = null;
  let attempt = 0;
  let ws = null;
  let stopped = false;
  let timer = null;

  function url() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const since = lastSeq === null ? "" : `?since=${lastSeq}`;
    return `${proto}//${location.host}${path}${since}`;
  }

  function open() {
    if (stopped) return;
    ws = new WebSocketImpl(url());
    ws.onopen = () => { attempt = 0; onStatus(true); };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (typeof msg.seq === "number") {
        if (msg.type !== "snapshot" && lastSeq !== null && msg.seq !== lastSeq + 1 && msg.seq > lastSeq + 1) {
          // A hole in the stream: reconnect and let the server replay from lastSeq.
          ws.close();
          return;
        }
        if (msg.type !== "snapshot" && lastSeq !== null && msg.seq <= lastSeq) return;
        lastSeq = msg.seq;
      }
      onMessage(msg);
    };
    ws.onclose = () => {
      onStatus(false);
      if (stopped) return;
      timer = setTimeout(open, backoffDelay(attempt++));
    };
    ws.onerror = () => { try { ws.close(); } catch (e) { /* already closing */ } };
  }

  open();
  return {
    stop() { stopped = true; clearTimeout(timer); if (ws) ws.close(); },
    get lastSeq() { return lastSeq; },
  };
}
