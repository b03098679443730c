import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_HEALTH_CHECK_TIMING, renderHaproxyConfig } from '@hakoc/provider-vagrant';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleLayout } from './support/layouts.js';
import { makeTempDir, removeTempDir, requireTool, run } from './support/tools.js';

const { layout } = sampleLayout();

describe('renderHaproxyConfig', () => {
  const config = renderHaproxyConfig(layout);

  it('balances 6443 over every API server in TCP mode with HTTPS /readyz checks', () => {
    expect(config).toContain('  mode tcp\n');
    expect(config).toContain('  bind *:6443\n');
    expect(config).toContain('  option httpchk GET /readyz\n');
    expect(config).toContain('  http-check expect status 200\n');
    const servers = config.split('\n').filter((line) => line.trimStart().startsWith('server '));
    expect(servers).toEqual([
      '  server controller-0 192.168.56.6:6443 check check-ssl verify none',
      '  server controller-1 192.168.56.7:6443 check check-ssl verify none',
      '  server controller-2 192.168.56.8:6443 check check-ssl verify none',
    ]);
  });

  it('checks fast enough to fail over within 2 s even without a TCP reset', () => {
    const t = DEFAULT_HEALTH_CHECK_TIMING;
    expect(config).toContain(
      `  default-server inter ${t.intervalMs}ms fastinter ${t.fastIntervalMs}ms downinter ${t.downIntervalMs}ms fall ${t.fall} rise ${t.rise} on-marked-down shutdown-sessions\n`,
    );
    expect(config).toContain(`  timeout check ${t.timeoutMs}ms\n`);
    const worstCaseMs =
      t.intervalMs + t.timeoutMs + (t.fall - 1) * (t.fastIntervalMs + t.timeoutMs);
    expect(worstCaseMs).toBeLessThanOrEqual(2_000);
  });

  it('is deterministic and has no stats endpoint unless asked', () => {
    expect(renderHaproxyConfig(structuredClone(layout))).toBe(config);
    expect(config).not.toContain('stats socket');
    expect(config).not.toContain('frontend monitor');
  });

  it('takes loopback servers with their own ports, a bind address, a socket and a monitor', () => {
    const rendered = renderHaproxyConfig(
      { apiServers: [{ name: 'a', ip: '127.0.0.1', port: 7001 }] },
      {
        bindAddress: '127.0.0.1',
        bindPort: 7443,
        statsSocket: '/run/haproxy/admin.sock',
        monitor: { address: '127.0.0.1', port: 8404 },
        healthCheck: { intervalMs: 200 },
      },
    );
    expect(rendered).toContain('  bind 127.0.0.1:7443\n');
    expect(rendered).toContain('  server a 127.0.0.1:7001 check check-ssl verify none\n');
    expect(rendered).toContain('  stats socket /run/haproxy/admin.sock mode 600 level admin\n');
    expect(rendered).toContain('  bind 127.0.0.1:8404\n  timeout client 10s\n');
    expect(rendered).toContain('default-server inter 200ms fastinter 250ms');
  });

  it('refuses input HAProxy would misread', () => {
    const bad = [
      { apiServers: [] },
      { apiServers: [{ name: 'a b', ip: '10.0.0.1' }] },
      {
        apiServers: [
          { name: 'a', ip: '10.0.0.1' },
          { name: 'a', ip: '10.0.0.2' },
        ],
      },
      { apiServers: [{ name: 'a', ip: 'fe80::1' }] },
      { apiServers: [{ name: 'a', ip: '10.0.0.1', port: 70000 }] },
    ];
    for (const input of bad) {
      expect(() => renderHaproxyConfig(input), JSON.stringify(input)).toThrow(
        expect.objectContaining({ code: 'HAKOC_VAGRANT_HAPROXY_INPUT_INVALID' }),
      );
    }
  });
});

describe('haproxy -c', () => {
  let dir: string;
  beforeAll(async () => {
    await requireTool('haproxy', ['-v']);
    dir = await makeTempDir();
  });
  afterAll(() => removeTempDir(dir));

  it('accepts the rendered configuration, with and without the optional parts', async () => {
    const configs = {
      'plain.cfg': renderHaproxyConfig(layout),
      'full.cfg': renderHaproxyConfig(layout, {
        statsSocket: join(dir, 'admin.sock'),
        monitor: { address: '127.0.0.1', port: 8404 },
      }),
    };
    for (const [name, config] of Object.entries(configs)) {
      await writeFile(join(dir, name), config);
      const result = await run('haproxy', ['-c', '-f', join(dir, name)], { timeoutMs: 20_000 });
      expect(result.code, `${name}: ${result.stdout}${result.stderr}`).toBe(0);
      // A valid configuration that HAProxy still warns about is a bug here too.
      expect(`${result.stdout}${result.stderr}`, name).not.toMatch(/WARNING|ALERT/);
    }
  });
});
