import assert from "node:assert/strict";
import { PASS, REASON, reasonName, RISK_REASONS } from "../../../core/risk/reasons.ts";

Deno.test("reason ids are dense from 1 and round-trip through reasonName()", () => {
  assert.equal(PASS, 0);
  RISK_REASONS.forEach((name, i) => {
    assert.equal(REASON[name], i + 1);
    assert.equal(reasonName(i + 1), name);
    assert.match(name, /^[a-z][a-z_]*$/);
  });
  assert.equal(new Set(RISK_REASONS).size, RISK_REASONS.length);
});

Deno.test("reasonName() throws on an id no check returns", () => {
  assert.throws(() => reasonName(0), /No risk reason with id 0/);
  assert.throws(() => reasonName(RISK_REASONS.length + 1), /No risk reason/);
});
