import { test } from "node:test";
import assert from "node:assert/strict";
import * as C from "../../queue_server/web/static/clerk/cases_state.js";
import { CASE_TEXT as TEXT } from "../../queue_server/web/static/clerk/cases_i18n.js";

const card = { name: "欧阳秀英", id_number: "510823********5621" };

test("case form from an ID card: the masked number is left to the server, under the card's name only", () => {
  const ok = C.createBodies([{ code: "M002" }], { name: "欧阳秀英", phone: "13800001234", idNumber: card.id_number, ticket: 7, card });
  assert.deepEqual(ok.bodies, [{ matter: "M002", applicant: { name: "欧阳秀英", phone: "13800001234" }, ticket: 7 }]);
  assert.equal(C.createBodies([{ code: "M002" }], { name: "欧阳明", idNumber: card.id_number, ticket: 7, card }).error,
    "cs_card_other_name");
  assert.equal(C.createBodies([{ code: "M002" }], { name: "欧阳秀英", idNumber: card.id_number, ticket: null, card }).error,
    "cs_card_unlinked");
  // A number the clerk typed instead is checked and sent as typed; without a card, a masked one is refused.
  const typed = C.createBodies([{ code: "M002" }], { name: "欧阳明", idNumber: "11010519491231002x", ticket: 7, card });
  assert.equal(typed.bodies[0].applicant.id_number, "11010519491231002X");
  assert.equal(C.createBodies([{ code: "M002" }], { name: "欧阳秀英", idNumber: card.id_number, ticket: 7 }).error, "cs_bad_id");
});

test("case form from an ID card: its messages exist in both languages", () => {
  for (const key of ["cs_card_filled", "cs_card_unlinked", "cs_card_other_name"]) {
    assert.ok(TEXT.zh[key] && TEXT.en[key], key);
    assert.doesNotMatch(TEXT.en[key], /[\u4e00-\u9fff]/, key);
  }
});
