/**
 * Who made a call, as far as the emulator can tell without checking signatures (it trusts
 * everyone, as GCE's audit log would not): the `email` or `iss` claim of a bearer JWT (a service
 * account's self-signed token), `bearer` for any other token, `undefined` for no credentials.
 */
export function principalOf(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  const payload = token.split('.')[1];
  if (payload === undefined) return 'bearer';
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims === 'object' && claims !== null) {
      const { email, iss } = claims as { email?: unknown; iss?: unknown };
      if (typeof email === 'string') return email;
      if (typeof iss === 'string') return iss;
    }
  } catch {
    // Not a JWT: an opaque access token.
  }
  return 'bearer';
}
