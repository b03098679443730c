import { callEtcdGateway, type EtcdClientTls } from '@hakoc/core';

/** What a traffic client saw. */
export interface TrafficReport {
  readonly writes: number;
  readonly reads: number;
  readonly failures: readonly string[];
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * A client that writes a counter through one member and reads it back through another, one
 * request at a time with no retries, until stopped. Every read is linearizable and comes after
 * the write it checks was acknowledged, so it must return that value: a failed call or a stale
 * value is counted as a failure.
 */
export function startTraffic(options: {
  readonly writeVia: string;
  readonly readVia: string;
  readonly tls: EtcdClientTls;
}): { stop(): Promise<TrafficReport> } {
  let running = true;
  let writes = 0;
  let reads = 0;
  const failures: string[] = [];
  const key = base64('/hakoc/traffic');
  const loop = (async () => {
    for (let counter = 0; running; counter++) {
      const value = String(counter);
      try {
        await callEtcdGateway(
          { endpoint: options.writeVia, tls: options.tls, timeoutMs: 5000 },
          '/v3/kv/put',
          {
            key,
            value: base64(value),
          },
        );
        writes++;
        const answer = await callEtcdGateway<{ kvs?: { value?: string }[] }>(
          { endpoint: options.readVia, tls: options.tls, timeoutMs: 5000 },
          '/v3/kv/range',
          { key },
        );
        reads++;
        const read = Buffer.from(answer.kvs?.[0]?.value ?? '', 'base64').toString();
        if (read !== value) failures.push(`read ${read} after writing ${value}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { writes, reads, failures };
    },
  };
}
