import { test } from "node:test";
import assert from "node:assert/strict";
import { HALL_BASE, hallBase, hallKey, hallUrl, socketUrl } from "../../queue_server/web/static/common/hall.js";

test("a page under /h/{code}/ belongs to that hall, whatever page it is", () => {
  assert.equal(hallBase("/h/xiasi/clerk"), "/h/xiasi");
  assert.equal(hallBase("/h/xiasi/m/t/17"), "/h/xiasi");
  assert.equal(hallBase("/h/pu-an-2/display/window/3"), "/h/pu-an-2");
  assert.equal(hallBase("/h/xiasi"), "/h/xiasi");
  assert.equal(hallBase("/h/xiasi/"), "/h/xiasi");
});

test("a page at the root, or under something only like a prefix, is the default hall's", () => {
  for (const path of ["/clerk", "/", "", "/m/guide", "/display/window/1", "/help/h/xiasi",
    "/h/", "/h", "/hx/xiasi/clerk", "/h/x/clerk", "/h/XiaSi/clerk", "/h/xia_si/clerk",
    "/h/" + "a".repeat(33) + "/clerk", "/h/xiasiclerk.html"]) {
    assert.equal(hallBase(path), "", path);
  }
  assert.equal(hallBase("/h/" + "a".repeat(32) + "/clerk"), "/h/" + "a".repeat(32));
});

test("API, page and socket URLs carry the hall's prefix; the default hall's stay at the root", () => {
  assert.equal(hallUrl("/api/windows", "/h/xiasi"), "/h/xiasi/api/windows");
  assert.equal(hallUrl("/m/t/5?token=a", "/h/xiasi"), "/h/xiasi/m/t/5?token=a");
  assert.equal(hallUrl("/api/windows", ""), "/api/windows");
  assert.equal(socketUrl("/ws/hall", { protocol: "http:", host: "hall:8000" }, "/h/xiasi"), "ws://hall:8000/h/xiasi/ws/hall");
  assert.equal(socketUrl("/ws/hall", { protocol: "https:", host: "county.gov" }, ""), "wss://county.gov/ws/hall");
});

test("outside a browser the hall is the default one", () => {
  assert.equal(HALL_BASE, "");
  assert.equal(hallUrl("/api/tts"), "/api/tts");
});

test("what a page keeps is kept apart per hall; the default hall keeps its old keys", () => {
  assert.equal(hallKey("hall.mobile.tickets", "/h/xiasi"), "hall.mobile.tickets@xiasi");
  assert.equal(hallKey("hall.pad.token.3", "/h/pu-an"), "hall.pad.token.3@pu-an");
  assert.notEqual(hallKey("hall.pass", "/h/xiasi"), hallKey("hall.pass", "/h/puan"));
  assert.equal(hallKey("hall.mobile.tickets", ""), "hall.mobile.tickets");
  assert.equal(hallKey("hall.agent.token"), "hall.agent.token");
});
