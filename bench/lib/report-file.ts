/** The comment lines that enclose a generated block. */
export function markers(id: string): { readonly begin: string; readonly end: string } {
  return { begin: `<!-- bench:${id}:begin -->`, end: `<!-- bench:${id}:end -->` };
}

/**
 * Puts each generated block between its markers, replacing what was there and leaving every
 * other line of the document as it was (hand-written sections, other tools' blocks). A block
 * whose markers are missing is appended at the end.
 */
export function replaceBlocks(document: string, blocks: ReadonlyMap<string, string>): string {
  let text = document;
  for (const [id, body] of blocks) {
    const { begin, end } = markers(id);
    const block = `${begin}\n${body.trim()}\n${end}`;
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    if (start !== -1 && stop > start) {
      text = `${text.slice(0, start)}${block}${text.slice(stop + end.length)}`;
    } else {
      if (start !== -1 || stop !== -1)
        throw new Error(`docs: the markers of ${id} are out of order`);
      text = `${text.trimEnd()}\n\n${block}\n`;
    }
  }
  return text;
}
