// A stand-in OCI registry on 127.0.0.1: answers `GET /v2/<repository>/manifests/<tag>` with a
// small image index whose bytes depend on the repository and tag, records what it was asked,
// and can be told to lack a tag, lie about a digest, answer HTML or demand a bearer token.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Media type of the index the stand-in serves. */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

/** How the stand-in treats one repository. */
export type RepositoryBehaviour = 'honest' | 'missing' | 'tampered-digest' | 'html' | 'token';

/** A running stand-in registry. */
export interface LoopbackRegistry {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** `127.0.0.1:<port>`, as an image reference's registry part. */
  readonly host: string;
  /** Every request, in order: method, path and query, and the headers that matter. */
  readonly requests: { url: string; accept?: string; authorization?: string }[];
  /** The bytes served for a repository and tag. */
  manifest(repository: string, tag: string): Buffer;
  /** `sha256:` and the hex SHA-256 of {@link LoopbackRegistry.manifest}. */
  digest(repository: string, tag: string): string;
  close(): Promise<void>;
}

const TOKEN = 'anonymous-pull-token';

/** Starts a stand-in registry; repositories not in `behaviours` are honest. */
export async function startLoopbackRegistry(
  behaviours: Readonly<Record<string, RepositoryBehaviour>> = {},
): Promise<LoopbackRegistry> {
  const requests: LoopbackRegistry['requests'] = [];
  const manifest = (repository: string, tag: string) =>
    Buffer.from(
      `${JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], annotations: { repository, tag } }, null, 3)}\n`,
    );
  const digest = (repository: string, tag: string) =>
    `sha256:${createHash('sha256').update(manifest(repository, tag)).digest('hex')}`;
  let baseUrl = '';
  const server = createServer((request: IncomingMessage, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({
      url: `${url.pathname}${url.search}`,
      ...(request.headers.accept === undefined ? {} : { accept: request.headers.accept }),
      ...(request.headers.authorization === undefined
        ? {}
        : { authorization: request.headers.authorization }),
    });
    if (url.pathname === '/token') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ token: TOKEN }));
      return;
    }
    const match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
    if (match?.[1] === undefined || match[2] === undefined) {
      response.writeHead(404).end('not found');
      return;
    }
    const [, repository, tag] = match;
    const behaviour = behaviours[repository] ?? 'honest';
    if (behaviour === 'token' && request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, {
        'www-authenticate': `Bearer realm="${baseUrl}/token",service="stand-in",scope="repository:${repository}:pull"`,
      });
      response.end();
      return;
    }
    if (behaviour === 'missing') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    if (behaviour === 'html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      return;
    }
    const claimed =
      behaviour === 'tampered-digest'
        ? digest(repository, `${tag}-elsewhere`)
        : digest(repository, tag);
    response.writeHead(200, { 'content-type': OCI_INDEX, 'docker-content-digest': claimed });
    response.end(manifest(repository, tag));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    host: `127.0.0.1:${port}`,
    requests,
    manifest,
    digest,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
