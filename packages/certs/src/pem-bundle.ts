/**
 * PEM blocks joined into one text, one block after another, each ending in a newline: the
 * form every TLS stack reads as a chain or a set of trusted CAs. Empty entries are left out.
 */
export function pemBundle(pems: readonly string[]): string {
  return pems
    .map((pem) => pem.trim())
    .filter((pem) => pem.length > 0)
    .map((pem) => `${pem}\n`)
    .join('');
}
