// Shared inputs of the render tests: the two example clusters, one PKI each (made once per
// test file; P-256 keys take milliseconds), and pins that point at a loopback server.
import { readFileSync } from 'node:fs';
import { type ClusterPki, createClusterPki } from '@hakoc/certs';
import {
  buildClusterModel,
  type ClusterModel,
  loadClusterSpec,
  type PinsFile,
  pkiRequestFor,
  sysextFileName,
} from '@hakoc/core';
import { parse } from 'yaml';

/** A fixed issue time, so certificates (and so rendered configs) are reproducible in a run. */
export const ISSUED_AT = new Date('2026-11-01T00:00:00Z');

/** The model of `examples/<name>.yaml`, with optional changes to its spec document. */
export function exampleModel(
  name: 'gce' | 'vagrant',
  change: (document: Record<string, unknown>) => void = () => {},
): ClusterModel {
  const text = readFileSync(new URL(`../../../../examples/${name}.yaml`, import.meta.url), 'utf8');
  const document = parse(text) as Record<string, unknown>;
  change(document);
  return buildClusterModel(loadClusterSpec(document));
}

/** The PKI of a model, created in memory. */
export function pkiFor(model: ClusterModel): Promise<ClusterPki> {
  return createClusterPki(pkiRequestFor(model), { now: ISSUED_AT });
}

/** Pins naming a sysext at `baseUrl` with the given hash (a test decides whether it is true). */
export function pinsFor(model: ClusterModel, baseUrl: string, sha256: string): PinsFile {
  const file = sysextFileName(model.kubernetes.version);
  return {
    version: 1,
    sysext: {
      [file]: { url: `${baseUrl}/kubernetes-v${model.kubernetes.version}/${file}`, sha256 },
    },
  };
}

/** A SHA-256 no file has: for tests that never fetch. */
export const UNUSED_SHA256 = 'a'.repeat(64);
