import { type BootConfig, composeBootConfig } from '@hakoc/core';

/** Text large enough to be compressed by both renderers. */
export const largeText = Array.from(
  { length: 400 },
  (_, i) => `line ${i}: ${'x'.repeat(i % 50)}`,
).join('\n');

/** Bytes that are not UTF-8, so they must travel encoded. */
export const binary = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13]);

/** A config exercising every feature the renderers support. */
export function sampleBootConfig(): BootConfig {
  return composeBootConfig([
    {
      module: 'etcd-member',
      part: {
        files: [
          {
            path: '/etc/etcd/etcd.yaml',
            contents: 'name: demo-etcd-0\ndata-dir: /var/lib/etcd\n',
            mode: 0o644,
          },
          {
            path: '/etc/etcd/pki/server.key',
            contents: '-----BEGIN PRIVATE KEY-----\nnot real\n',
            mode: 0o600,
            user: 'etcd',
            group: 'etcd',
            secret: true,
          },
        ],
        units: [
          {
            name: 'etcd-member.service',
            enabled: true,
            contents:
              '[Unit]\nDescription=etcd member\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nExecStart=/usr/bin/etcd --config-file=/etc/etcd/etcd.yaml\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n',
          },
        ],
      },
    },
    {
      module: 'misc',
      part: {
        files: [
          { path: '/opt/hakoc/large.txt', contents: largeText, mode: 0o644 },
          { path: '/opt/hakoc/blob.bin', contents: binary, mode: 0o755 },
        ],
        units: [
          {
            name: 'systemd-timesyncd.service',
            enabled: true,
            dropins: [
              { name: '10-hakoc.conf', contents: '[Unit]\nDescription=time sync for TLS\n' },
            ],
          },
        ],
      },
    },
  ]);
}
