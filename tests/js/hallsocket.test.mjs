import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay } from "../../queue_server/web/static/common/hallsocket.js";

test("reconnect backoff grows and never exceeds five seconds", () => {
  const delays = Array.from({ length: 12 }, (_, i) => backoffDelay(i));
  assert.equal(delays[0], 250);
  assert.ok(delays.every((d, i) => i === 0 || d >= delays[i - 1]));
  assert.equal(Math.max(...delays), 5000);
});
