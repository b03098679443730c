import { writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderHaproxyConfig } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freeLoopbackPort,
  type HaproxyProcess,
  serverStatuses,
  startHaproxy,
} from './support/haproxy-process.js';
import {
  type HttpsBackend,
  killBackend,
  type LoopbackCertificate,
  makeLoopbackCertificate,
  startBackend,
} from './support/https-backends.js';
import { makeTempDir, removeTempDir, requireTool, run } from './support/tools.js';

// A live fail-over on loopback: three HTTPS stand-ins for the API servers serving /readyz,
// the real haproxy in the foreground with the rendered configuration in front of them. Every
// loop below is bounded in count and time.
const BACKEND = 'kube-apiserver';

describe('live fail-over through the rendered haproxy.cfg', () => {
  let dir: string;
  let certificate: LoopbackCertificate;
  let backends: HttpsBackend[] = [];
  let haproxy: HaproxyProcess | undefined;
  let port: number;
  let socket: string;

  // One request on a new connection (so every request is balanced anew), verified against
  // the backends' certificate: TLS passes through HAProxy untouched.
  const get = (path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, ca: certificate.cert, agent: false, timeout: 2_000 },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end();
    });

  const waitFor = async (what: string, test: () => Promise<boolean>, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; attempt < 200 && Date.now() < deadline; attempt += 1) {
      if (await test().catch(() => false)) return;
      await sleep(25);
    }
    throw new Error(`${what} did not happen within ${timeoutMs} ms\n${haproxy?.output() ?? ''}`);
  };

  beforeAll(async () => {
    await requireTool('haproxy', ['-v']);
    await requireTool('openssl', ['version']);
    dir = await makeTempDir();
    certificate = await makeLoopbackCertificate(dir);
    backends = await Promise.all(
      ['controller-0', 'controller-1', 'controller-2'].map((name) =>
        startBackend(name, certificate),
      ),
    );
    port = await freeLoopbackPort();
    socket = join(dir, 'admin.sock');
    const config = join(dir, 'haproxy.cfg');
    await writeFile(
      config,
      renderHaproxyConfig(
        {
          apiServers: backends.map((backend) => ({
            name: backend.name,
            ip: '127.0.0.1',
            port: backend.port,
          })),
        },
        { bindAddress: '127.0.0.1', bindPort: port, statsSocket: socket },
      ),
    );
    const check = await run('haproxy', ['-c', '-f', config]);
    expect(check.code, check.stderr).toBe(0);
    haproxy = startHaproxy(config);
    await waitFor(
      'all three servers UP',
      async () =>
        [...(await serverStatuses(socket, BACKEND)).values()].filter((status) => status === 'UP')
          .length === 3,
      5_000,
    );
  });

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(
      backends.map((backend) => (backend.server.listening ? killBackend(backend) : undefined)),
    );
    await removeTempDir(dir);
  });

  it('spreads requests over all three API servers', async () => {
    const served = new Set<string>();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const response = await get('/version');
      expect(response.status).toBe(200);
      served.add(response.body);
    }
    expect([...served].sort()).toEqual(['controller-0', 'controller-1', 'controller-2']);
  });

  it('keeps serving when one dies, and marks it DOWN within 2 s', async () => {
    const [, victim] = backends;
    if (victim === undefined) throw new Error('no backend to kill');
    await killBackend(victim);
    const killedAt = Date.now();

    // Requests during the detection window: refused connections are redispatched.
    const during: string[] = [];
    let downAfterMs: number | undefined;
    for (let attempt = 0; attempt < 100 && Date.now() - killedAt < 3_000; attempt += 1) {
      const response = await get('/version');
      expect(response.status).toBe(200);
      during.push(response.body);
      if ((await serverStatuses(socket, BACKEND)).get(victim.name) === 'DOWN') {
        downAfterMs = Date.now() - killedAt;
        break;
      }
      await sleep(20);
    }
    expect(downAfterMs, 'time until haproxy marked the dead server DOWN').toBeDefined();
    expect(downAfterMs).toBeLessThan(2_000);
    console.info(`haproxy marked ${victim.name} DOWN ${downAfterMs} ms after it died`);
    expect(during.length).toBeGreaterThan(0);
    expect(during).not.toContain(victim.name);
    expect(haproxy?.output()).toContain(`Server ${BACKEND}/${victim.name} is DOWN`);

    const after = new Set<string>();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const response = await get('/version');
      expect(response.status).toBe(200);
      after.add(response.body);
    }
    expect([...after].sort()).toEqual(['controller-0', 'controller-2']);
    const statuses = await serverStatuses(socket, BACKEND);
    expect(Object.fromEntries(statuses)).toEqual({
      'controller-0': 'UP',
      'controller-1': 'DOWN',
      'controller-2': 'UP',
    });
  });
});
