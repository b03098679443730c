import { resolve } from 'node:path';
import {
  type CaId,
  type CaRotation,
  finishCaRotation,
  type KeyStoreResult,
  readCaRotation,
  rotatableCas,
  startCaRotation,
  switchCaRotation,
} from '@hakoc/certs';
import { buildClusterModel, pkiRequestFor } from '@hakoc/core';
import type { CommandContext } from '../command-context.js';
import type { CertsRotateCaOptions } from '../commands/certs.js';
import { loadSpecForCommand } from '../load-spec.js';
import { resolvePassphrase } from '../passphrase.js';
import { writeSessionNote } from '../session-notes.js';

/** What `hakoc certs rotate-ca SPEC [--switch|--finish]` does: one step of a CA rotation. */
export async function certsRotateCaAction(
  ctx: CommandContext,
  specPath: string,
  options: CertsRotateCaOptions,
): Promise<void> {
  const spec = await loadSpecForCommand(specPath, ctx);
  if (spec === undefined) return;
  const model = buildClusterModel(spec);
  const dir = resolve(ctx.io.cwd, options.dir ?? model.keyStore.dir);
  const passphrase = await resolvePassphrase(model.keyStore.passphrase, ctx.io);
  const request = pkiRequestFor(model);
  const force = options.force === true;
  const step = options.switch ? 'switch' : options.finish ? 'finish' : 'start';

  // Only to warn: the library itself refuses an early step unless forced.
  const current = await readCaRotation(dir);
  if (force && step !== 'start' && current !== undefined && new Date() < current.nextStepAt) {
    const text = `--force: taking the ${step} before ${current.nextStepAt.toISOString()}; a machine that has not rolled since the last step ${step === 'finish' ? 'and still presents a certificate of an old CA is refused' : 'and trusts only an old CA refuses the new certificates'}`;
    if (options.json === true) {
      writeSessionNote(ctx, true, text, { type: 'cli.forced', step, message: text });
    } else ctx.io.stderr(`${ctx.palette.warning('!')} ${text}\n`);
  }
  const result =
    step === 'start'
      ? await startCaRotation(dir, request, {
          passphrase,
          cas: casOf(options.ca),
          ...(options.overlap === undefined ? {} : { overlapMs: options.overlap }),
        })
      : await (step === 'switch' ? switchCaRotation : finishCaRotation)(dir, request, {
          passphrase,
          force,
        });
  report(ctx, specPath, dir, result, Boolean(options.json));
}

function casOf(choice: CertsRotateCaOptions['ca']): CaId[] {
  return choice === 'all' ? Object.values(rotatableCas) : [rotatableCas[choice]];
}

/** One line saying where a rotation stands and what comes next. */
export function describeCaRotation(rotation: CaRotation): string {
  const next = rotation.phase === 'trusting' ? '--switch' : '--finish';
  const what =
    rotation.phase === 'trusting'
      ? 'new CAs trusted beside the old ones, which still sign'
      : 'new CAs sign, old ones still trusted';
  return `CA rotation of ${rotation.cas.join(', ')} (started ${rotation.startedAt.toISOString()}): ${rotation.phase} since ${rotation.phaseStartedAt.toISOString()}, ${what}; ${next} from ${rotation.nextStepAt.toISOString()}`;
}

function report(
  ctx: CommandContext,
  specPath: string,
  dir: string,
  result: KeyStoreResult,
  json: boolean,
): void {
  const { caRotation, changes } = result;
  if (json) {
    ctx.io.stdout(`${JSON.stringify({ dir, changes, caRotation: caRotation ?? null }, null, 2)}\n`);
    return;
  }
  for (const change of changes) {
    ctx.io.stderr(`  ${change.action.padEnd(9)} ${change.id}  ${ctx.palette.dim(change.reason)}\n`);
  }
  const status =
    caRotation === undefined
      ? 'CA rotation finished: the old CAs are no longer trusted, their keys deleted'
      : describeCaRotation(caRotation);
  ctx.io.stderr(`${ctx.palette.ok('✓')} key store ${dir}: ${status}\n`);
  // Kubeconfigs live outside the cluster: a fresh one after the start trusts both CAs, one
  // after the switch carries a client certificate of the new CA.
  const kubeconfig = {
    none: '',
    trusting: `, then hakoc kubeconfig ${specPath} (it trusts both CAs)`,
    switched: `, then hakoc kubeconfig ${specPath} (a client certificate of the new CA)`,
  }[caRotation?.phase ?? 'none'];
  ctx.io.stderr(`  next: hakoc apply ${specPath}${kubeconfig}\n`);
}
