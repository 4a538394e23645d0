import assert from "node:assert/strict";
import { reducesPosition } from "../../../core/risk/reduces_position.ts";

Deno.test("reducesPosition() is true only for moves toward zero that do not cross it", () => {
  assert.equal(reducesPosition(100, 40), true);
  assert.equal(reducesPosition(100, 0), true);
  assert.equal(reducesPosition(-100, -1), true);
  assert.equal(reducesPosition(-100, 0), true);
  assert.equal(reducesPosition(100, -1), false, "a flip opens the other side");
  assert.equal(reducesPosition(-100, 1), false);
  assert.equal(reducesPosition(100, 101), false);
  assert.equal(reducesPosition(0, 1), false);
  assert.equal(reducesPosition(0, -1), false);
});
