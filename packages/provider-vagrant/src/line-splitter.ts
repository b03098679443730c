import { StringDecoder } from 'node:string_decoder';

/**
 * Turns chunks of a byte stream into whole lines. Decoding goes through a `StringDecoder` so a
 * UTF-8 character split across chunks is not mangled.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Feeds a chunk; calls back once per line it completes. */
  push(chunk: Buffer): void {
    const lines = (this.#pending + this.#decoder.write(chunk)).split('\n');
    this.#pending = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** Ends the stream; calls back for a last line without a newline. */
  end(): void {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = '';
    if (rest !== '') this.onLine(rest);
  }
}
