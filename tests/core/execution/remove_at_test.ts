import assert from "node:assert/strict";
import { removeAt } from "../../../core/execution/remove_at.ts";

Deno.test("removeAt removes one item and keeps the others in order", () => {
  const list = ["a", "b", "c", "d"];
  removeAt(list, 1);
  assert.deepEqual(list, ["a", "c", "d"]);
  removeAt(list, 2);
  assert.deepEqual(list, ["a", "c"]);
  removeAt(list, 0);
  removeAt(list, 0);
  assert.equal(list.length, 0);
  list.push("e");
  assert.deepEqual(list, ["e"], "the emptied list takes items again");
});
