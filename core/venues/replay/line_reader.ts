/**
 * Reads a text file line by line in fixed-size chunks, so memory stays flat however large the
 * file is: at most one chunk of pending lines and one partial line are held at a time.
 */

/** Returned by LineReader.next() in place of a line longer than the limit (which is skipped). */
export const LINE_TOO_LONG: unique symbol = Symbol("line too long");

/** Options of LineReader.open. */
export interface LineReaderOptions {
  /** Bytes read per chunk (default 64 KiB). */
  readonly chunkBytes?: number;
  /** Longest line kept, in UTF-16 code units (default 1 MiB); longer ones are skipped. */
  readonly maxLineChars?: number;
}

/** Streams the lines of one UTF-8 file; `\n` or `\r\n` endings, a leading BOM dropped. */
export class LineReader {
  readonly #file: Deno.FsFile;
  readonly #buf: Uint8Array;
  readonly #maxLine: number;
  // TextDecoder in stream mode keeps a multi-byte character split across chunks intact.
  readonly #decoder = new TextDecoder();
  #lines: (string | typeof LINE_TOO_LONG)[] = [];
  #index = 0;
  #rest = "";
  /** Inside a line already known to be too long: discard until its newline. */
  #skipping = false;
  #eof = false;
  #closed = false;

  private constructor(file: Deno.FsFile, options: LineReaderOptions) {
    this.#file = file;
    this.#buf = new Uint8Array(options.chunkBytes ?? 64 * 1024);
    this.#maxLine = options.maxLineChars ?? 1024 * 1024;
  }

  /** Opens `path` for reading; rejects with the runtime's error (NotFound, PermissionDenied…). */
  static async open(path: string, options: LineReaderOptions = {}): Promise<LineReader> {
    return new LineReader(await Deno.open(path, { read: true }), options);
  }

  /** The next line without its ending, LINE_TOO_LONG for a skipped line, undefined at the end. */
  async next(): Promise<string | typeof LINE_TOO_LONG | undefined> {
    for (;;) {
      if (this.#index < this.#lines.length) return this.#lines[this.#index++]!;
      if (this.#eof) {
        if (this.#skipping) {
          this.#skipping = false;
          return LINE_TOO_LONG;
        }
        if (this.#rest === "") return undefined;
        const last = this.#finish(this.#rest);
        this.#rest = "";
        return last;
      }
      await this.#readChunk();
    }
  }

  /** Closes the file; further next() calls end the stream. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#eof = true;
    this.#lines = [];
    this.#rest = "";
    this.#skipping = false;
    this.#file.close();
  }

  async #readChunk(): Promise<void> {
    const n = await this.#file.read(this.#buf);
    if (this.#closed) return;
    let text: string;
    if (n === null) {
      this.#eof = true;
      text = this.#decoder.decode();
    } else {
      text = this.#decoder.decode(this.#buf.subarray(0, n), { stream: true });
    }
    const lines: (string | typeof LINE_TOO_LONG)[] = [];
    if (this.#skipping) {
      const nl = text.indexOf("\n");
      if (nl < 0) {
        this.#lines = lines;
        this.#index = 0;
        return; // still inside the oversized line: drop this chunk whole
      }
      this.#skipping = false;
      lines.push(LINE_TOO_LONG);
      text = text.slice(nl + 1);
    }
    const parts = (this.#rest + text).split("\n");
    this.#rest = parts.pop() ?? "";
    for (const part of parts) lines.push(this.#finish(part));
    if (this.#rest.length > this.#maxLine) {
      // Drop the partial line now instead of growing it without bound; report it at its end.
      this.#rest = "";
      this.#skipping = true;
    }
    this.#lines = lines;
    this.#index = 0;
  }

  #finish(line: string): string | typeof LINE_TOO_LONG {
    if (line.length > this.#maxLine) return LINE_TOO_LONG;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  }
}
