import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { iconUrl, serviceIcon } from "../../queue_server/web/static/common/icons.js";

const STATIC = fileURLToPath(new URL("../../queue_server/web/", import.meta.url));

test("a pictogram's URL is the bundled outline icon, and the file is there", () => {
  assert.equal(iconUrl("shield-heart"), "/static/vendor/tabler-icons/outline/shield-heart.svg");
  assert.ok(existsSync(STATIC + iconUrl("shield-heart")));
  assert.ok(existsSync(STATIC + iconUrl("a-b-2")));
});

test("no name, or a name that could reach anything but an icon, gives no pictogram", () => {
  for (const bad of [null, undefined, "", "../secret", "Shield", "a b", "x.svg", "-x", "x-", "a--b", "%2e%2e"]) {
    assert.equal(iconUrl(bad), null, String(bad));
  }
});

test("a service without a pictogram shows its category's", () => {
  assert.equal(serviceIcon({ icon: "old" }, { icon: "shield-heart" }), "/static/vendor/tabler-icons/outline/old.svg");
  assert.equal(serviceIcon({ icon: null }, { icon: "shield-heart" }), "/static/vendor/tabler-icons/outline/shield-heart.svg");
  assert.equal(serviceIcon({}, {}), null);
  assert.equal(serviceIcon(null, null), null);
});
