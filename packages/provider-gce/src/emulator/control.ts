import type { Reply } from './context.js';
import { badPayload, notFound } from './errors.js';
import { FAULT_KINDS, type FaultKind, type FaultRule, type FaultSettings } from './faults.js';
import { arrayField, isJsonObject, type JsonObject, numberField, stringField } from './json.js';
import type { CallLogEntry } from './log.js';
import type { WorldSnapshot } from './state.js';

/**
 * The emulator's own HTTP endpoints under `/_emulator/`, so a test driving the standalone bin
 * from another process can do what in-process tests do through the API object:
 *
 * - `GET /_emulator/log` → `{ calls: CallLogEntry[] }`
 * - `POST /_emulator/faults` with `{ rate?, seed?, kinds?, slowOperationMs?, rules?: [{ method?,
 *   pathPattern, error, times? }] }`
 * - `POST /_emulator/cpu-load` with `{ project, region, autoscaler, utilization }`
 * - `GET /_emulator/state` → the world snapshot
 */

/** What the control endpoints act on. */
export interface Controls {
  log(): readonly CallLogEntry[];
  setFaults(settings: FaultSettings): void;
  setCpuLoad(project: string, region: string, autoscaler: string, utilization: number): void;
  snapshot(): WorldSnapshot;
}

const KINDS = new Set<string>(FAULT_KINDS);

function ruleOf(value: JsonObject): FaultRule {
  const pathPattern = stringField(value, 'pathPattern');
  if (!pathPattern) throw badPayload('a fault rule needs pathPattern');
  const error = value.error;
  const method = stringField(value, 'method');
  const times = numberField(value, 'times');
  let fault: FaultRule['error'];
  if (typeof error === 'string' && KINDS.has(error)) fault = error as FaultKind;
  else if (
    isJsonObject(error) &&
    typeof error.status === 'number' &&
    typeof error.reason === 'string'
  ) {
    fault = {
      status: error.status,
      reason: error.reason,
      ...(typeof error.message === 'string' ? { message: error.message } : {}),
    };
  } else throw badPayload('a fault rule needs error: a fault kind or { status, reason }');
  return {
    pathPattern,
    error: fault,
    ...(method ? { method } : {}),
    ...(times !== undefined ? { times } : {}),
  };
}

function kindsOf(values: readonly unknown[]): FaultKind[] {
  return values.map((value) => {
    if (typeof value !== 'string' || !KINDS.has(value)) {
      throw badPayload(`unknown fault kind ${JSON.stringify(value)}`);
    }
    return value as FaultKind;
  });
}

/** Handles a control request (`path` is what follows `/_emulator/`). */
export function handleControl(
  controls: Controls,
  method: string,
  path: string,
  body: JsonObject | undefined,
): Reply {
  if (method === 'GET' && path === 'log') {
    return { status: 200, body: { calls: controls.log().map((e) => ({ ...e })) } };
  }
  if (method === 'GET' && path === 'state') {
    return { status: 200, body: JSON.parse(JSON.stringify(controls.snapshot())) as JsonObject };
  }
  if (method === 'POST' && path === 'faults') {
    const settings = body ?? {};
    const rate = numberField(settings, 'rate');
    const seed = numberField(settings, 'seed');
    controls.setFaults({
      ...(rate !== undefined ? { rate } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(settings.kinds !== undefined ? { kinds: kindsOf(arrayField(settings, 'kinds')) } : {}),
      ...(numberField(settings, 'slowOperationMs') !== undefined
        ? { slowOperationMs: numberField(settings, 'slowOperationMs') ?? 0 }
        : {}),
      ...(settings.rules !== undefined
        ? { rules: arrayField(settings, 'rules').filter(isJsonObject).map(ruleOf) }
        : {}),
    });
    return { status: 200, body: {} };
  }
  if (method === 'POST' && path === 'cpu-load') {
    const b = body ?? {};
    controls.setCpuLoad(
      stringField(b, 'project') ?? '',
      stringField(b, 'region') ?? '',
      stringField(b, 'autoscaler') ?? '',
      numberField(b, 'utilization') ?? 0,
    );
    return { status: 200, body: {} };
  }
  throw notFound(`_emulator/${path}`);
}
