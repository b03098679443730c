import { issueCertificate } from './certificate.js';
import { generateKeyPair, privateKeyToPem, publicKeyDerOf, signingKeyOf } from './private-key.js';
import type { CaId } from './profiles.js';
import { certificateProfiles } from './profiles.js';
import type { CaMaterial } from './reconcile.js';
import type { PkiRequest } from './request.js';

/**
 * A new CA for a rotation: the request's key algorithm and CA validity, like the first one,
 * under the profile's name with the start time after it. No two CAs of a store then share a
 * subject, so chain building (by names first) never has to choose between the old and the new
 * one, and an operator tells them apart at a glance.
 */
export async function issueIncomingCa(
  request: PkiRequest,
  id: CaId,
  now: Date,
): Promise<CaMaterial> {
  const profile = certificateProfiles(request).find((candidate) => candidate.id === id);
  if (profile === undefined) throw new TypeError(`no CA profile ${id}`);
  const key = await privateKeyToPem((await generateKeyPair(request.keyAlgorithm)).privateKey);
  const issued = await issueCertificate(
    { ...profile, commonName: `${profile.commonName} ${now.toISOString()}` },
    {
      publicKey: publicKeyDerOf(key),
      publicKeyIsRsa: request.keyAlgorithm.startsWith('rsa'),
      selfSigning: signingKeyOf(key, `${id}.key`),
      now,
    },
  );
  return { certificate: issued.pem, key };
}
