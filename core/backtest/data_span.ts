/**
 * The time span of data files, read from their first and last rows only (a few KB each, however
 * large the file): what a progress bar measures against. Rows are read as the replay readers read
 * them (CSV `timestamp` column, JSON-lines `timestamp` key); NaN where a file does not tell.
 */
import { parseTimestampMicros } from "../domain/timestamp.ts";

const TAIL_BYTES = 8192;

/** Earliest first-row and latest last-row time of `files`, epoch µs (NaN when unknown). */
export async function dataSpan(files: readonly string[]): Promise<{ start: number; end: number }> {
  let start = NaN, end = NaN;
  for (const path of files) {
    const { first, last } = await rowsAtEnds(path);
    const column = first.startsWith("{")
      ? -1
      : first.split(",").map((c) => c.trim()).indexOf("timestamp");
    const header = column >= 0;
    const t0 = timeOf(header ? (await secondRow(path)) : first, column);
    const t1 = timeOf(last, column);
    if (!Number.isNaN(t0) && !(t0 >= start)) start = t0;
    if (!Number.isNaN(t1) && !(t1 <= end)) end = t1;
  }
  return { start, end };
}

function timeOf(line: string | undefined, column: number): number {
  if (line === undefined) return NaN;
  try {
    if (column < 0) {
      return parseTimestampMicros(String((JSON.parse(line) as { timestamp?: unknown }).timestamp));
    }
    return parseTimestampMicros((line.split(",")[column] ?? "").trim());
  } catch {
    return NaN;
  }
}

async function rowsAtEnds(path: string): Promise<{ first: string; last: string | undefined }> {
  using file = await Deno.open(path);
  const size = (await file.stat()).size;
  const head = await readAt(file, 0, Math.min(size, TAIL_BYTES));
  const tail = await readAt(file, Math.max(0, size - TAIL_BYTES), Math.min(size, TAIL_BYTES));
  const lines = (s: string) =>
    s.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"));
  return { first: lines(head)[0] ?? "", last: lines(tail).at(-1) };
}

async function secondRow(path: string): Promise<string | undefined> {
  using file = await Deno.open(path);
  const head = await readAt(file, 0, TAIL_BYTES);
  return head.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.startsWith("#"))[1];
}

async function readAt(file: Deno.FsFile, offset: number, length: number): Promise<string> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buf = new Uint8Array(length);
  let n = 0;
  while (n < length) {
    const r = await file.read(buf.subarray(n));
    if (r === null) break;
    n += r;
  }
  return new TextDecoder().decode(buf.subarray(0, n));
}
