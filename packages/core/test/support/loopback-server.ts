// A static HTTP server on 127.0.0.1 for tests that need remote sources: release sums and
// artifacts for the pin resolver, files for Ignition to fetch. It runs in a child process,
// because the real-tool helpers run Ignition synchronously and would otherwise block the very
// event loop that has to answer it. Nothing leaves loopback.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** Stops the server process. */
  close(): Promise<void>;
}

// Serves files below a folder by URL path; 404 for anything else (and for `..`).
const SERVER_SOURCE = `
const { createServer } = require('node:http');
const { readFile } = require('node:fs/promises');
const { join, normalize } = require('node:path');
const root = process.argv[1];
const server = createServer(async (request, response) => {
  const path = normalize(new URL(request.url, 'http://127.0.0.1').pathname);
  if (path.includes('..')) return response.writeHead(404).end();
  try {
    const body = await readFile(join(root, path));
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end('not found');
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

/** Serves `files` (URL path → body) from a child process; 404 for anything else. */
export async function serveFiles(
  files: ReadonlyMap<string, string | Uint8Array>,
): Promise<LoopbackServer> {
  const root = mkdtempSync(join(tmpdir(), 'hakoc-serve-'));
  for (const [path, body] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  }
  // stdin stays open as a lifeline: if the test process dies, the server exits too.
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER_SOURCE, root], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('loopback server did not start in 10 s')),
      10_000,
    );
    child.stdout?.once('data', (data: Buffer) => {
      clearTimeout(timer);
      resolve(data.toString().trim());
    });
    child.once('exit', (code) => reject(new Error(`loopback server exited with ${code}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
