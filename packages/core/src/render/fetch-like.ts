/** What the pin resolvers pass to {@link FetchLike}: request headers and a time limit. */
export interface FetchLikeInit {
  /** Request headers (Accept, Authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the request (the resolvers bound every request in time). */
  readonly signal?: AbortSignal;
}

/** The parts of a response the pin resolvers read. */
export interface FetchLikeResponse {
  readonly ok: boolean;
  readonly status: number;
  /** Response headers (Content-Type, Docker-Content-Digest, WWW-Authenticate). */
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The `fetch` the pin resolvers use; `globalThis.fetch` fits, and tests inject their own to
 * serve releases and registries from loopback.
 */
export type FetchLike = (url: string, init?: FetchLikeInit) => Promise<FetchLikeResponse>;
