// The part of the GCE metadata server the leave script talks to, on loopback: one instance's
// metadata attributes (a single key, a recursive listing that can wait for a change with
// wait_for_change, last_etag and timeout_sec), and guest attributes written with PUT.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running fake metadata server. */
export interface FakeMetadataServer {
  /** `http://127.0.0.1:PORT/computeMetadata/v1`, what the script is given with `--watch`. */
  readonly url: string;
  /** Sets an instance metadata attribute, waking the waiting listings. */
  setAttribute(key: string, value: string): void;
  /** Guest attributes the VM wrote, by `namespace/key`. */
  readonly guestAttributes: ReadonlyMap<string, string>;
  /** How many listings waited for a change. */
  readonly waits: number;
  close(): Promise<void>;
}

const ROOT = '/computeMetadata/v1';

/** Starts the fake on 127.0.0.1; requests without `Metadata-Flavor: Google` get 403, as on GCE. */
export async function startFakeMetadataServer(): Promise<FakeMetadataServer> {
  const attributes = new Map<string, string>();
  const guestAttributes = new Map<string, string>();
  let version = 1;
  let waits = 0;
  const waiting = new Set<() => void>();
  const etag = () => `etag-${version}`;

  const listing = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', etag: etag() });
    res.end(JSON.stringify(Object.fromEntries(attributes)));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers['metadata-flavor'] !== 'Google') {
      res.writeHead(403).end('Missing Metadata-Flavor:Google header.');
      return;
    }
    const path = url.pathname.startsWith(ROOT) ? url.pathname.slice(ROOT.length) : '';
    if (req.method === 'PUT' && path.startsWith('/instance/guest-attributes/')) {
      guestAttributes.set(
        path.slice('/instance/guest-attributes/'.length),
        Buffer.concat(chunks).toString(),
      );
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'GET' && path === '/instance/attributes/') {
      const wait = url.searchParams.get('wait_for_change') === 'true';
      if (!wait || url.searchParams.get('last_etag') !== etag()) {
        listing(res);
        return;
      }
      waits++;
      const seconds = Number(url.searchParams.get('timeout_sec') ?? '60');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, seconds * 1000);
        function done() {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        }
        waiting.add(done);
      });
      listing(res);
      return;
    }
    const key = path.startsWith('/instance/attributes/')
      ? path.slice('/instance/attributes/'.length)
      : undefined;
    const value = key === undefined ? undefined : attributes.get(key);
    if (req.method === 'GET' && value !== undefined) {
      res.writeHead(200, { 'content-type': 'application/text', etag: etag() }).end(value);
      return;
    }
    res.writeHead(404).end('Not Found');
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${ROOT}`,
    setAttribute(key, value) {
      attributes.set(key, value);
      version++;
      for (const wake of [...waiting]) wake();
    },
    guestAttributes,
    get waits() {
      return waits;
    },
    close: () =>
      new Promise((resolve) => {
        for (const wake of [...waiting]) wake();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
