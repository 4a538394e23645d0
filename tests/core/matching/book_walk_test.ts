import assert from "node:assert/strict";
import { depthWithin, walkBook } from "../../../core/matching/book_walk.ts";
import { bookWith } from "./_builders.ts";

const book = bookWith({ bids: [[99, 5], [98, 5]], asks: [[101, 10], [102, 20], [103, 30]] });

Deno.test("walkBook() takes levels best first and stops at the bound", () => {
  const taken: Array<[number, number]> = [];
  const got = walkBook(book, "buy", 102, 100, 0, (p, q) => taken.push([p, q]));
  assert.equal(got, 30);
  assert.deepEqual(taken, [[101, 10], [102, 20]]);
});

Deno.test("walkBook() skips lots earlier orders took in the same call", () => {
  const taken: Array<[number, number]> = [];
  walkBook(book, "buy", Infinity, 15, 12, (p, q) => taken.push([p, q]));
  assert.deepEqual(taken, [[102, 15]]);
});

Deno.test("walkBook() walks the bids for a sell", () => {
  const taken: Array<[number, number]> = [];
  walkBook(book, "sell", -Infinity, 7, 0, (p, q) => taken.push([p, q]));
  assert.deepEqual(taken, [[99, 5], [98, 2]]);
});

Deno.test("depthWithin() counts the lots at or better than the bound, minus the skipped", () => {
  assert.equal(depthWithin(book, "buy", 102, 0), 30);
  assert.equal(depthWithin(book, "buy", 100, 0), 0);
  assert.equal(depthWithin(book, "sell", 98, 3), 7);
  assert.equal(depthWithin(book, "buy", 101, 50), 0);
});
