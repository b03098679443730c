import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { HakocError } from '@hakoc/certs';

/** The TLS material an etcd client presents: PEM text, never file names. */
export interface EtcdClientTls {
  /** The etcd CA certificate, which the member's serving certificate must chain to. */
  readonly ca: string;
  /** A client certificate the etcd CA issued (for example `apiserver-etcd-client`). */
  readonly certificate: string;
  /** Its private key, unencrypted PEM. */
  readonly key: string;
}

/** Where and how to reach one etcd member's client listener. */
export interface EtcdEndpointOptions {
  /** The member's client URL, `https://host:2379`. */
  readonly endpoint: string;
  /** The client's certificate and the CA it trusts. */
  readonly tls: EtcdClientTls;
  /** Cancels the call. */
  readonly signal?: AbortSignal;
  /**
   * Longest the whole call may take, in milliseconds.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * POSTs `body` to a path of etcd's gRPC gateway (`/v3/…`, JSON in and out, served on the
 * client port by every etcd since 3.4) and resolves to the response once its headers arrive.
 * The caller reads the body; the timeout and the signal keep applying until it is read.
 */
export function postToEtcdGateway(
  options: EtcdEndpointOptions,
  path: string,
  body: unknown,
): Promise<IncomingMessage> {
  const url = new URL(path, options.endpoint);
  if (url.protocol !== 'https:') {
    throw new HakocError('HAKOC_ETCD_ENDPOINT', `etcd endpoint ${options.endpoint} is not https`, {
      hint: 'etcd members serve clients over TLS only: https://HOST:2379',
    });
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = request(url, {
      method: 'POST',
      ca: options.tls.ca,
      cert: options.tls.certificate,
      key: options.tls.key,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      signal,
    });
    call.once('error', (cause) =>
      reject(
        new HakocError(
          'HAKOC_ETCD_UNREACHABLE',
          `etcd at ${options.endpoint} did not answer ${path}: ${signal.aborted && signal.reason instanceof Error ? signal.reason.message : cause.message}`,
          {
            cause,
            hint: 'check the endpoint, that it is reachable from here, and the certificate',
          },
        ),
      ),
    );
    call.once('response', (response) => {
      if (response.statusCode === 200) return resolve(response);
      readText(response).then(
        (text) =>
          reject(
            new HakocError(
              'HAKOC_ETCD_REFUSED',
              `etcd at ${options.endpoint} refused ${path} (HTTP ${response.statusCode}): ${gatewayMessage(text)}`,
            ),
          ),
        reject,
      );
    });
    call.end(payload);
  });
}

/** POSTs to the gateway and parses the JSON answer. */
export async function callEtcdGateway<T>(
  options: EtcdEndpointOptions,
  path: string,
  body: unknown,
): Promise<T> {
  const response = await postToEtcdGateway(options, path, body);
  return JSON.parse(await readText(response)) as T;
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The gateway's error body is `{ "error": …, "message": …, "code": … }`; keep the message. */
function gatewayMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    return String(parsed.message ?? parsed.error ?? text);
  } catch {
    return text.slice(0, 200);
  }
}
