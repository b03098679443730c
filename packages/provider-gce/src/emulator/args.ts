import { parseArgs } from 'node:util';
import type { SeedZone } from './dns/dns.js';
import type { GceEmulatorOptions } from './server.js';

/** Usage text of `hakoc-gce-emulator`. */
export const USAGE = `Usage: hakoc-gce-emulator [--port P] [--latency-scale X] [--fault-rate F] [--seed S]
                          [--dns-zone NAME=DNSNAME]... [--state FILE]

Serves the Compute Engine v1 and Cloud DNS v1 REST APIs on 127.0.0.1 and prints its URL on the
first line. Runs until SIGINT or SIGTERM, then saves --state (if given) and exits.

  --port P                 TCP port (default 0: any free port)
  --latency-scale X        multiply operation latencies (default 0.01; 1 = real-time)
  --fault-rate F           probability in [0, 1] that a call fails (default 0)
  --seed S                 seed for faults, names and ids (default 1)
  --dns-zone NAME=DNSNAME  seed a managed zone in every project (repeatable)
  --state FILE             keep the world in FILE across restarts
`;

function number(
  flag: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${flag} must be a number in [${min}, ${max}], got '${text}'`);
  }
  return value;
}

/** Parses the command line into emulator options; throws with a message on bad input. */
export function parseEmulatorArgs(argv: readonly string[]): GceEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'latency-scale': { type: 'string' },
      'fault-rate': { type: 'string' },
      seed: { type: 'string' },
      'dns-zone': { type: 'string', multiple: true },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const dnsZones: SeedZone[] = (values['dns-zone'] ?? []).map((spec) => {
    const [name, dnsName] = spec.split('=');
    if (!name || !dnsName) throw new Error(`--dns-zone wants NAME=DNSNAME, got '${spec}'`);
    return { name, dnsName: dnsName.endsWith('.') ? dnsName : `${dnsName}.` };
  });
  const port = number('--port', values.port, 0, 65535);
  const latencyScale = number('--latency-scale', values['latency-scale'], 0, 1000);
  const faultRate = number('--fault-rate', values['fault-rate'], 0, 1);
  const seed = number('--seed', values.seed, 0, 2 ** 32 - 1);
  return {
    dnsZones,
    ...(port !== undefined ? { port } : {}),
    ...(latencyScale !== undefined ? { latencyScale } : {}),
    ...(faultRate !== undefined ? { faultRate } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(values.state !== undefined ? { statePath: values.state } : {}),
  };
}
