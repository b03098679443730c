import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadOrCreatePki, storeLayout } from '@hakoc/certs';
import {
  buildClusterModel,
  type EtcdClientTls,
  HakocError,
  pkiRequestFor,
  removeEtcdMember,
  saveEtcdSnapshot,
} from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import type { EtcdRemoveMemberOptions, EtcdSnapshotOptions } from '../commands/etcd.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';

/** What `hakoc etcd snapshot SPEC` does: saves a snapshot over TLS, checked and checksummed. */
export async function etcdSnapshotAction(
  ctx: CommandContext,
  specPath: string,
  options: EtcdSnapshotOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const client = await operatorTls(ctx, specPath, options.dir);
  if (client === undefined) return;
  const out = resolve(io.cwd, options.out);
  const file = await saveEtcdSnapshot({
    endpoint: options.endpoint,
    tls: client.tls,
    out,
    timeoutMs: options.timeout * 1000,
    onEvent: (event) => {
      if (event.type === 'etcd.snapshot.start') {
        io.stderr(
          `${palette.dim('…')} snapshot of ${client.cluster}'s etcd from ${event.endpoint}\n`,
        );
      } else if (event.type === 'etcd.snapshot.progress') {
        const left =
          event.remainingBytes === undefined ? '' : `, ${mib(event.remainingBytes)} to go`;
        io.stderr(`${palette.dim('…')} ${mib(event.bytes)} received${left}\n`);
      }
    },
  });
  if (options.json) {
    io.stdout(`${JSON.stringify(file, null, 2)}\n`);
  } else {
    io.stdout(`${file.path}\n`);
  }
  io.stderr(
    `${palette.ok('✓')} ${mib(file.bytes)} written to ${file.path} ${palette.dim('(0600)')}, SHA-256 ${file.sha256} in ${file.checksumPath}\n`,
  );
}

/** What `hakoc etcd remove-member SPEC` does: removes one member through a member that stays. */
export async function etcdRemoveMemberAction(
  ctx: CommandContext,
  specPath: string,
  options: EtcdRemoveMemberOptions,
): Promise<void> {
  const { io, palette } = ctx;
  const client = await operatorTls(ctx, specPath, options.dir);
  if (client === undefined) return;
  const removed = await removeEtcdMember({
    endpoint: options.endpoint,
    tls: client.tls,
    name: options.name,
    timeoutMs: options.timeout * 1000,
  });
  if (removed === undefined) {
    io.stderr(`${palette.ok('✓')} no member is called ${options.name}: nothing to remove\n`);
    return;
  }
  io.stderr(
    `${palette.ok('✓')} removed ${removed.name} (${removed.hexId}, ${removed.peerUrls.join(',')}) from ${client.cluster}'s etcd\n`,
  );
}

/**
 * The operator's etcd client certificate (apiserver-etcd-client) and the etcd CA, from the key
 * store of the spec (never a new one: it would be trusted by no cluster).
 */
async function operatorTls(
  ctx: CommandContext,
  specPath: string,
  dir: string | undefined,
): Promise<{ cluster: string; tls: EtcdClientTls } | undefined> {
  const { io } = ctx;
  const spec = await loadSpecForCommand(specPath, ctx);
  if (spec === undefined) return undefined;
  const model = buildClusterModel(spec);
  const keyStore = resolve(io.cwd, dir ?? model.keyStore.dir);
  if (!existsSync(join(keyStore, storeLayout.certificate('etcd/ca')))) {
    throw new HakocError('HAKOC_KEYSTORE_MISSING', `no etcd CA in the key store ${keyStore}`, {
      hint: `run hakoc apply ${specPath} first (or hakoc certs init ${specPath}), or pass --dir`,
    });
  }
  const passphrase = await resolvePassphrase(model.keyStore.passphrase, io);
  const { pki, changes } = await loadOrCreatePki(keyStore, pkiRequestFor(model), { passphrase });
  if (changes.length > 0) {
    io.stderr(
      `${ctx.palette.warning('!')} key store updated to the spec: ${changes.map((c) => `${c.action} ${c.id}`).join(', ')}\n`,
    );
  }
  return {
    cluster: model.name,
    tls: {
      ca: pki.etcdCa.certificate,
      certificate: pki.apiserverEtcdClient.certificate,
      key: pki.apiserverEtcdClient.key.reveal(),
    },
  };
}

function mib(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}
