import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, found by binding port 0 and releasing it. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Real haproxy in the foreground (`-db`), its output collected. */
export interface HaproxyProcess {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Stops it and waits for the exit, at most `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Starts `haproxy -db -f config`. */
export function startHaproxy(config: string): HaproxyProcess {
  const child = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  return {
    child,
    output: () => output,
    async stop(timeoutMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sends one command to HAProxy's stats socket and returns the answer; bounded by `timeoutMs`. */
export function statsCommand(socket: string, command: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    let answer = '';
    const timer = setTimeout(() => {
      connection.destroy();
      reject(new Error(`stats socket did not answer ${command} within ${timeoutMs} ms`));
    }, timeoutMs);
    connection.on('connect', () => connection.end(`${command}\n`));
    connection.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    connection.on('end', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    connection.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Server name → status (`UP`, `DOWN`, `UP 1/2`, …) of one backend, from `show stat`. */
export async function serverStatuses(
  socket: string,
  backend: string,
): Promise<Map<string, string>> {
  const [header = '', ...rows] = (await statsCommand(socket, 'show stat')).trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const at = (name: string) => columns.indexOf(name);
  const statuses = new Map<string, string>();
  for (const row of rows) {
    const fields = row.split(',');
    const server = fields[at('svname')];
    if (
      fields[at('pxname')] !== backend ||
      server === undefined ||
      server === 'BACKEND' ||
      server === 'FRONTEND'
    )
      continue;
    statuses.set(server, fields[at('status')] ?? '');
  }
  return statuses;
}
