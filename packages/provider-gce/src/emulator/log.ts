/** One API call as the emulator saw it. */
export interface CallLogEntry {
  /** Sequence number, from 1. */
  readonly seq: number;
  /** Epoch milliseconds when the request arrived. */
  readonly at: number;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path without the query string, e.g. `/compute/v1/projects/p/global/networks`. */
  readonly path: string;
  /** The raw query string without `?` (empty when none). */
  readonly query: string;
  /** HTTP status answered. */
  readonly status: number;
  /** Which API: `compute`, `dns`, `control` (the emulator's own endpoints) or `unknown`. */
  readonly api: 'compute' | 'dns' | 'control' | 'unknown';
  /** Time to answer, in milliseconds. */
  readonly durationMs: number;
  /** The injected fault, if one was. */
  readonly fault?: string;
  /** Who called: a bearer JWT's `email` or `iss`, `bearer` for another token; unset for none. */
  readonly principal?: string;
}

/** Which calls to count; every field narrows. */
export interface CallFilter {
  readonly method?: string;
  /** Matched against the path; a string is compiled as a RegExp. */
  readonly pathPattern?: RegExp | string;
  readonly api?: CallLogEntry['api'];
  readonly status?: number;
}

/** The call log, bounded so a long-running emulator does not grow without limit. */
export class CallLog {
  readonly #entries: CallLogEntry[] = [];
  readonly #max: number;
  #seq = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Entries in arrival order (oldest dropped past the bound). */
  get entries(): readonly CallLogEntry[] {
    return this.#entries;
  }

  /** Appends an entry. */
  add(entry: Omit<CallLogEntry, 'seq'>): void {
    this.#entries.push({ ...entry, seq: ++this.#seq });
    if (this.#entries.length > this.#max) this.#entries.splice(0, this.#entries.length - this.#max);
  }

  /** Forgets every entry (sequence numbers keep counting). */
  clear(): void {
    this.#entries.length = 0;
  }

  /** Entries matching a filter. */
  filter(filter: CallFilter = {}): CallLogEntry[] {
    const pattern =
      typeof filter.pathPattern === 'string' ? new RegExp(filter.pathPattern) : filter.pathPattern;
    return this.#entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (pattern === undefined || pattern.test(e.path)) &&
        (filter.api === undefined || e.api === filter.api) &&
        (filter.status === undefined || e.status === filter.status),
    );
  }
}
