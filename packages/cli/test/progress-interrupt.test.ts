import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  INTERRUPTED_EXIT_CODE,
  interruptSignal,
  RESUME_HINT,
  withInterrupt,
} from '../src/progress/index.js';
import { captureIo } from './capture-io.js';

/** Stands in for the process: emits SIGINT when the test says so, records exits. */
function fakeProcess() {
  const signals = new EventEmitter<{ SIGINT: [] }>();
  const exits: number[] = [];
  return { signals, exits, exit: (code: number) => void exits.push(code) };
}

describe('Ctrl-C', () => {
  it('the first aborts the signal and says the steps in flight are awaited', () => {
    const io = captureIo();
    const fake = fakeProcess();
    const interrupt = interruptSignal(io, { signals: fake.signals, exit: fake.exit });
    expect(interrupt.signal.aborted).toBe(false);
    fake.signals.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(fake.exits).toEqual([]);
    expect(io.err()).toMatch(/no new steps will start.*Ctrl-C again to stop now/);
    interrupt.dispose();
  });

  it('the second exits at once with 130 and says a re-run resumes', () => {
    const io = captureIo();
    const fake = fakeProcess();
    const notes: string[] = [];
    const interrupt = interruptSignal(io, {
      signals: fake.signals,
      exit: fake.exit,
      notify: (message) => notes.push(message),
    });
    fake.signals.emit('SIGINT');
    fake.signals.emit('SIGINT');
    expect(fake.exits).toEqual([INTERRUPTED_EXIT_CODE]);
    expect(notes).toHaveLength(2);
    expect(notes[1]).toContain(RESUME_HINT);
    // Messages went to the reporter's note, not around it.
    expect(io.err()).toBe('');
    interrupt.dispose();
  });

  it('withInterrupt stops listening when the work settles, even when it throws', async () => {
    const fake = fakeProcess();
    const options = { signals: fake.signals, exit: fake.exit };
    const seen = await withInterrupt(
      captureIo(),
      async (signal) => {
        expect(fake.signals.listenerCount('SIGINT')).toBe(1);
        return signal.aborted;
      },
      options,
    );
    expect(seen).toBe(false);
    expect(fake.signals.listenerCount('SIGINT')).toBe(0);
    await expect(
      withInterrupt(
        captureIo(),
        async () => {
          throw new Error('apply failed');
        },
        options,
      ),
    ).rejects.toThrow('apply failed');
    expect(fake.signals.listenerCount('SIGINT')).toBe(0);
  });
});
