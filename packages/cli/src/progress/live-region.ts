// Plain ECMA-48 / VT100 sequences: every terminal hakoc's live mode runs in understands them,
// and a library for four escape codes would only hide what is written.
const csi = '\u001b[';
/** Erase from the cursor to the end of the line. */
const eraseLineEnd = `${csi}K`;
/** Erase from the cursor to the end of the screen. */
const eraseDown = `${csi}J`;
/**
 * Synchronised output (DEC mode 2026): the terminal shows the whole redraw at once. Terminals
 * without it ignore the unknown mode, and still never show a blank line, because lines are
 * overwritten in place rather than cleared first.
 */
const beginSync = `${csi}?2026h`;
const endSync = `${csi}?2026l`;

/**
 * The lines at the bottom of a terminal that are redrawn in place. Each update moves the cursor
 * back to the first live line, writes any permanent lines over it (they scroll up and stay),
 * then the live lines, each erased to its end, and erases whatever the previous, taller, region
 * left below. All of it goes out in one write, so nothing half-drawn is ever on screen.
 *
 * Live lines must fit the terminal's width: a wrapped line takes two rows and the cursor would
 * come back one row short.
 */
export interface LiveRegion {
  /** Prints `permanent` lines for good, then shows `live` below them in place of the old ones. */
  update(permanent: readonly string[], live: readonly string[]): void;
}

/** A {@link LiveRegion} that writes through `write` (the terminal's stderr). */
export function createLiveRegion(write: (text: string) => void): LiveRegion {
  let height = 0;
  let shown = '';
  return {
    update(permanent, live) {
      const liveText = live.map((line) => `${line}${eraseLineEnd}\n`).join('');
      if (permanent.length === 0 && liveText === shown) return;
      const up = height > 0 ? `\r${csi}${height}A` : '';
      const lines = permanent.map(
        (line) => `${line.replaceAll('\n', `${eraseLineEnd}\n`)}${eraseLineEnd}\n`,
      );
      write(`${beginSync}${up}${lines.join('')}${liveText}${eraseDown}${endSync}`);
      height = live.length;
      shown = liveText;
    },
  };
}
