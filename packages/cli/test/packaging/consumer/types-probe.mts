// Type-checked only (never run): the shipped declarations carry real types, not `any`. Each
// `@ts-expect-error` fails the check when the line below it stops being an error.
import { HakocError } from '@hakoc/certs';
import { type ClusterSpec, createOwner, isHakocError, type Owner } from '@hakoc/core';
import type { ProviderContractHarness } from '@hakoc/core/testing/contract';
import { gce } from '@hakoc/provider-gce';
import type { GceEmulatorOptions } from '@hakoc/provider-gce/emulator';
import { vagrant } from '@hakoc/provider-vagrant';

const owner: Owner = createOwner('probe');
// @ts-expect-error an owner is made from a cluster name, not a number
createOwner(42);
// @ts-expect-error a cluster spec is an object with typed fields
const spec: ClusterSpec = 'not a spec';
// @ts-expect-error the GCE provider needs its options
gce();
// @ts-expect-error the Vagrant provider needs its options
vagrant();
// @ts-expect-error emulator latency is a number
const emulatorOptions: GceEmulatorOptions = { latencyScale: 'fast' };
// @ts-expect-error a contract harness has a name and a setup
const harness: ProviderContractHarness<unknown> = {};
const recognised: boolean = isHakocError(new HakocError('HAKOC_PROBE', 'probe'));

export { emulatorOptions, harness, owner, recognised, spec };
