import type { BootUnit } from '../boot/index.js';
import type { BootModule } from './module.js';
import { machinePaths } from './paths.js';

/** Path of the wait-for script (the old `wupiao`). */
export const WAIT_FOR_SCRIPT = `${machinePaths.hakocBin}/wait-for`;

/**
 * Blocks until a TCP port accepts connections or an HTTPS URL answers 2xx, for at most the
 * given seconds. TCP uses bash's /dev/tcp (no extra tool); HTTPS uses curl with the cluster CA,
 * so a wrong server is not mistaken for the right one.
 */
export const WAIT_FOR_SCRIPT_TEXT = `#!/bin/bash
# Usage: wait-for tcp HOST PORT SECONDS | wait-for https URL CAFILE SECONDS
set -uo pipefail
kind=$1
case "$kind" in
  tcp) host=$2 port=$3 seconds=$4 ;;
  https) url=$2 cafile=$3 seconds=$4 ;;
  *) echo "unknown kind $kind" >&2; exit 2 ;;
esac
deadline=$((SECONDS + seconds))
while ((SECONDS < deadline)); do
  if [[ $kind == tcp ]]; then
    timeout 3 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && exit 0
  else
    curl --silent --fail --max-time 3 --cacert "$cafile" --output /dev/null "$url" && exit 0
  fi
  sleep 1
done
echo "gave up waiting for \${url:-$host:$port} after $seconds s" >&2
exit 1
`;

/** Ships the wait-for script; units made by {@link waitForUnit} run it. */
export const waitForModule: BootModule = () => ({
  files: [{ path: WAIT_FOR_SCRIPT, contents: WAIT_FOR_SCRIPT_TEXT, mode: 0o755 }],
});

/** What a wait-for unit waits for. */
export type WaitTarget =
  | { readonly tcp: { readonly host: string; readonly port: number } }
  | { readonly https: { readonly url: string; readonly caFile: string } };

/**
 * A oneshot unit `hakoc-wait-for-<name>.service` that blocks its dependents (order them with
 * `After=` and `Requires=`) until `target` answers, failing after `seconds`.
 */
export function waitForUnit(name: string, target: WaitTarget, seconds: number): BootUnit {
  const args =
    'tcp' in target
      ? `tcp ${target.tcp.host} ${target.tcp.port}`
      : `https ${target.https.url} ${target.https.caFile}`;
  const what = 'tcp' in target ? `${target.tcp.host}:${target.tcp.port}` : target.https.url;
  return {
    name: waitForUnitName(name),
    enabled: false,
    contents: `[Unit]
Description=Wait for ${what} to answer (at most ${seconds} s)
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${WAIT_FOR_SCRIPT} ${args} ${seconds}
TimeoutStartSec=${seconds + 30}
`,
  };
}

/** The name of the wait-for unit called `name`. */
export function waitForUnitName(name: string): string {
  return `hakoc-wait-for-${name}.service`;
}
