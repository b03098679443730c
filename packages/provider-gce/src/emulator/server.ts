import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setCpuLoad } from './compute/autoscaler-model.js';
import { dispatchCompute } from './compute/dispatch.js';
import {
  GuestHooks,
  type InstanceMetadataListener,
  writeGuestAttribute,
} from './compute/guest-attributes.js';
import { reconcileGroups } from './compute/mig-controller.js';
import type { Emulation, HandlerContext, Reply } from './context.js';
import { handleControl } from './control.js';
import { handleDns, type SeedZone } from './dns/dns.js';
import { badPayload, GceApiError, invalidField, isGceApiError, notFound } from './errors.js';
import {
  FaultInjector,
  type FaultRule,
  type FaultSettings,
  faultyPayload,
  type TransportFault,
} from './faults.js';
import { isJsonObject, type Json, type JsonObject } from './json.js';
import { type CallFilter, CallLog, type CallLogEntry } from './log.js';
import { OperationEngine } from './operations.js';
import { principalOf } from './principal.js';
import { matchRoute } from './protos.js';
import { type QuotaLimits, Quotas } from './quotas.js';
import { parseComputePath } from './router.js';
import { loadSnapshot, saveSnapshot, type WorldSnapshot } from './state.js';
import { validateMessage, validateQuery } from './validation.js';
import { World } from './world.js';

/** Options of {@link startGceEmulator}. */
export interface GceEmulatorOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Multiplies every operation latency of the table in `latency.ts`. @default 0.01 */
  readonly latencyScale?: number;
  /** Probability in [0, 1] that an API call fails at random. @default 0 */
  readonly faultRate?: number;
  /** Seed of the fault PRNG and, for a fresh world, of names and ids. @default 1 */
  readonly seed?: number;
  /** Targeted faults from the start. @default [] */
  readonly faults?: readonly FaultRule[];
  /** The user's existing Cloud DNS zones. @default [] */
  readonly dnsZones?: readonly SeedZone[];
  /** Keep the world in this JSON file: loaded at start, saved after changes and at close. */
  readonly statePath?: string;
  /** Quota limits replacing the defaults of a new project. */
  readonly quotas?: QuotaLimits;
  /**
   * How long `operations/…/wait` blocks before answering with a still-running operation.
   * @default GCE's two minutes × latencyScale (at least 10 ms)
   */
  readonly waitTimeoutMs?: number;
  /** Check every compute response against the protos (a self-check for tests). @default false */
  readonly checkResponses?: boolean;
  /** Log entries kept. @default 100_000 */
  readonly maxLogEntries?: number;
}

/** A running emulator. */
export interface GceEmulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Options for a `@google-cloud/compute` client (add an `authClient`). */
  readonly computeClientOptions: {
    readonly apiEndpoint: string;
    readonly port: number;
    readonly protocol: 'http';
  };
  /** Value for a `@google-cloud/dns` client's `baseUrl`. */
  readonly dnsBaseUrl: string;
  /** Every call so far. */
  readonly log: readonly CallLogEntry[];
  /** Number of logged calls matching a filter. */
  countCalls(filter?: CallFilter): number;
  /** Forgets the log. */
  clearLog(): void;
  /** Changes fault injection (rate, seed, targeted rules). */
  setFaults(settings: FaultSettings): void;
  /** Sets the CPU utilisation (0–1) an autoscaler sees for its group. */
  setCpuLoad(project: string, region: string, autoscaler: string, utilization: number): void;
  /** Finishes due operations and runs MIGs and autoscalers now. */
  settle(): void;
  /**
   * Calls `listener` after an instance's metadata changed, as software on the VM watching its
   * metadata server would see it; returns the unsubscribe function.
   */
  onInstanceMetadata(listener: InstanceMetadataListener): () => void;
  /**
   * Writes a guest attribute (`namespace/key`) of the instance at `path`
   * (`projects/p/zones/z/instances/i`), as software on the VM would through its metadata
   * server; throws when the instance is missing or has guest attributes disabled.
   */
  writeGuestAttribute(path: string, variableKey: string, value: string): void;
  /** A stored resource by path (`projects/p/zones/z/instances/i`), or `undefined`. */
  get(path: string): JsonObject | undefined;
  /** Stored resources whose path matches, with their paths. */
  resources(pattern?: RegExp): Array<{ readonly path: string; readonly resource: JsonObject }>;
  /** The whole world, as a state file holds it. */
  snapshot(): WorldSnapshot;
  /**
   * Forgets the whole world, the log and changed fault settings, as a new GCE would be (the
   * seeded DNS zones come back): tests run many clusters one after another on one server, and
   * their clients stay connected.
   * @param newSeed - the world's seed from now on; the start one when left out
   */
  reset(newSeed?: number): void;
  /** Stops listening, releases waiting calls and saves the state file. */
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const SAVE_DEBOUNCE_MS = 50;

/** What fault injection did to one call: its name for the log, and a connection fault. */
interface CallFault {
  name?: string;
  transport?: TransportFault;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new GceApiError(413, 'payloadTooLarge', 'Request body too large', 'INVALID_ARGUMENT');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body; `""` (what the clients send for body-less POSTs) and empty mean none. */
function parseBody(text: string): JsonObject | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '""') return undefined;
  let value: Json;
  try {
    value = JSON.parse(trimmed) as Json;
  } catch {
    throw badPayload('Invalid JSON payload received. Unexpected token.');
  }
  if (!isJsonObject(value)) throw badPayload('Invalid JSON payload received. Expected an object.');
  return value;
}

/**
 * Starts the GCE + Cloud DNS emulator on 127.0.0.1. The real `@google-cloud/compute` clients
 * talk to it with `{ apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient }`, and
 * `@google-cloud/dns` with `dns.baseUrl = emulator.dnsBaseUrl`.
 */
export async function startGceEmulator(options: GceEmulatorOptions = {}): Promise<GceEmulator> {
  const latencyScale = options.latencyScale ?? 0.01;
  const seed = options.seed ?? 1;
  const statePath = options.statePath;
  const world = new World(seed, statePath ? loadSnapshot(statePath) : undefined);
  const operations = new OperationEngine(world, latencyScale);
  const env: Emulation = {
    world,
    operations,
    quotas: new Quotas(options.quotas),
    waitTimeoutMs: options.waitTimeoutMs ?? Math.max(10, Math.round(120_000 * latencyScale)),
    guests: new GuestHooks(),
  };
  operations.onSettled = () => reconcileGroups(env);
  const dnsEnv = { world, latencyScale, seedZones: options.dnsZones ?? [] };
  const faults = new FaultInjector({
    rate: options.faultRate ?? 0,
    seed,
    rules: options.faults ?? [],
  });
  const log = new CallLog(options.maxLogEntries ?? 100_000);
  const checkResponses = options.checkResponses ?? false;

  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    if (statePath) saveSnapshot(statePath, world.snapshot());
  };
  if (statePath) {
    world.onChange = () => {
      if (saveTimer) return;
      saveTimer = setTimeout(save, SAVE_DEBOUNCE_MS);
      saveTimer.unref();
    };
  }

  const computeCall = async (
    method: string,
    url: URL,
    text: string,
    fault: CallFault,
  ): Promise<Reply> => {
    const route = matchRoute(method, url.pathname);
    if (!route) throw notFound(url.pathname.replace(/^\/compute\/v1\//, ''));
    const path = parseComputePath(url.pathname);
    const mutation =
      method !== 'GET' && route.responseType === 'Operation' && path.collection !== 'operations';
    const decision = faults.decide(method, url.pathname, mutation);
    if (decision?.kind === 'http') {
      fault.name = decision.fault;
      throw decision.error;
    }
    if (decision?.kind === 'operation') fault.name = 'operationError';
    if (decision?.kind === 'slow') fault.name = 'slowOperation';
    if (decision?.kind === 'transport') {
      fault.name = decision.fault;
      fault.transport = decision.fault;
      // Reset before the API saw the call: nothing is carried out.
      if (decision.before) return { status: 200, body: undefined };
    }
    const queryError = validateQuery(route, url.searchParams);
    if (queryError) throw queryError;
    const body = route.bodyType ? parseBody(text) : undefined;
    if (body && route.bodyType) {
      const error = validateMessage(route.bodyType, body, route.bodyField ?? 'resource');
      if (error) throw error;
    }
    const requestId = url.searchParams.get('requestId');
    let requestKey: string | undefined;
    if (requestId !== null && mutation) {
      if (!UUID.test(requestId) || requestId === ZERO_UUID) {
        throw invalidField(
          'requestId',
          requestId,
          `The requestId must be a valid UUID with the exception that zero UUID is not supported (${ZERO_UUID}).`,
        );
      }
      requestKey = `${path.project}/${requestId.toLowerCase()}`;
      const earlier = world.requestIds.get(requestKey);
      const operation = earlier ? world.get(earlier) : undefined;
      if (operation) return { status: 200, body: operation };
    }
    // Autoscaler patch/update name their target in the query, not the path.
    const name =
      path.name ??
      (path.collection === 'autoscalers' && (method === 'PATCH' || method === 'PUT')
        ? (url.searchParams.get('autoscaler') ?? undefined)
        : undefined);
    const ctx: HandlerContext = {
      env,
      method,
      project: path.project,
      scope: path.scope,
      collection: path.collection,
      name,
      verb: path.verb,
      query: url.searchParams,
      body,
      operationFault: decision?.kind === 'operation',
      ...(decision?.kind === 'slow' ? { operationDurationMs: decision.durationMs } : {}),
    };
    const reply = await dispatchCompute(path, ctx);
    if (
      requestKey &&
      reply.body?.kind === 'compute#operation' &&
      typeof reply.body.selfLink === 'string'
    ) {
      world.requestIds.set(
        requestKey,
        reply.body.selfLink.replace(/^https?:\/\/[^/]+\/compute\/v1\//, ''),
      );
    }
    if (mutation) operations.settle();
    if (checkResponses && reply.body) {
      const error = validateMessage(route.responseType, reply.body, 'response');
      if (error)
        throw new GceApiError(
          500,
          'emulatorBug',
          `Invalid ${route.responseType} response: ${error.message}`,
          'INTERNAL',
        );
    }
    return reply;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const principal = principalOf(req.headers.authorization);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api: CallLogEntry['api'] = url.pathname.startsWith('/compute/v1/')
      ? 'compute'
      : url.pathname.startsWith('/dns/v1/')
        ? 'dns'
        : url.pathname.startsWith('/_emulator/')
          ? 'control'
          : 'unknown';
    const fault: CallFault = {};
    let reply: Reply;
    try {
      const text = await readBody(req);
      operations.settle();
      if (api === 'compute') {
        reply = await computeCall(method, url, text, fault);
      } else if (api === 'dns') {
        const decision = faults.decide(method, url.pathname, false);
        if (decision?.kind === 'http') {
          fault.name = decision.fault;
          throw decision.error;
        }
        if (decision?.kind === 'transport') {
          fault.name = decision.fault;
          fault.transport = decision.fault;
        }
        const segments = url.pathname
          .split('/')
          .filter((s) => s !== '')
          .slice(2)
          .map(decodeURIComponent);
        reply =
          decision?.kind === 'transport' && decision.before
            ? { status: 200, body: undefined }
            : handleDns(dnsEnv, method, segments, url.searchParams, parseBody(text));
      } else if (api === 'control') {
        reply = handleControl(
          controls,
          method,
          url.pathname.slice('/_emulator/'.length),
          parseBody(text),
        );
      } else {
        throw notFound(url.pathname);
      }
    } catch (error) {
      const apiError = isGceApiError(error)
        ? error
        : new GceApiError(
            500,
            'internalError',
            error instanceof Error ? error.message : String(error),
            'INTERNAL',
          );
      reply = {
        status: apiError.httpStatus,
        body: apiError.toBody(api === 'dns' ? 'dns.googleapis.com' : undefined),
      };
    }
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    if (fault.transport === 'connectionReset' || fault.transport === 'responseLost') {
      res.socket?.destroy();
    } else {
      const sent =
        fault.transport === undefined ? payload : faultyPayload(fault.transport, payload);
      res.writeHead(
        reply.status,
        reply.body === undefined ? {} : { 'content-type': 'application/json; charset=UTF-8' },
      );
      res.end(sent);
    }
    log.add({
      at: started,
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      status: reply.status,
      api,
      durationMs: Date.now() - started,
      ...(fault.name ? { fault: fault.name } : {}),
      ...(principal === undefined ? {} : { principal }),
    });
  };

  const controls = {
    log: () => log.entries,
    setFaults: (settings: FaultSettings) => faults.configure(settings),
    setCpuLoad: (project: string, region: string, autoscaler: string, utilization: number) => {
      setCpuLoad(
        env,
        `projects/${project}/regions/${region}/autoscalers/${autoscaler}`,
        utilization,
      );
      operations.settle();
    },
    snapshot: () => world.snapshot(),
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  operations.settle();

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    computeClientOptions: { apiEndpoint: '127.0.0.1', port, protocol: 'http' },
    dnsBaseUrl: `${url}/dns/v1`,
    get log() {
      return log.entries;
    },
    countCalls: (filter) => log.filter(filter).length,
    clearLog: () => log.clear(),
    setFaults: controls.setFaults,
    setCpuLoad: controls.setCpuLoad,
    settle: () => operations.settle(),
    onInstanceMetadata: (listener) => env.guests.onMetadata(listener),
    writeGuestAttribute: (path, variableKey, value) =>
      writeGuestAttribute(world, path, variableKey, value),
    get: (path) => world.get(path),
    resources: (pattern) =>
      [...world.resources]
        .filter(([path]) => pattern === undefined || pattern.test(path))
        .map(([path, resource]) => ({ path, resource })),
    snapshot: () => world.snapshot(),
    reset(newSeed = seed) {
      operations.reset();
      world.reset(newSeed);
      faults.configure({
        rate: options.faultRate ?? 0,
        seed: newSeed,
        rules: options.faults ?? [],
      });
      log.clear();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        operations.close();
        save();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
