import { createHash } from 'node:crypto';
import { createDecoder, createSigner, createVerifier } from 'fast-jwt';
import type { CallerContext, Principal } from '@parking/contracts';
import { keyIdOf, publicKeyOf, readPrivateKey, type TrustedKey } from './proof-keys';

/** The NATS header a request's proof travels in. */
export const PROOF_HEADER = 'Parking-Proof';
/** Long enough for a request in flight and some clock skew; a proof is checked on receipt. */
const PROOF_TTL_SECONDS = 30;
const CLOCK_TOLERANCE_SECONDS = 5;

/** What a proof vouches for: who signed it, and the caller it speaks for. */
export interface VerifiedCaller {
  /** The service that signed (`gateway` for every request from outside). */
  issuer: string;
  principal?: Principal;
  caller?: CallerContext;
}

interface ProofClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  /** sha256 (base64url) of the request's JSON: the proof covers this input only. */
  dig: string;
  prn?: Principal;
  cip?: CallerContext;
}

export class ProofError extends Error {
  override readonly name = 'ProofError';
}

/** sha256 of the JSON a request carries, as both ends serialise it. */
export function inputDigest(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input ?? {})).digest('base64url');
}

/**
 * Signs the proof a service sends with each request: a short-lived JWT (EdDSA) that names
 * the RPC subject (`aud`), binds the input by its digest, and carries the verified principal
 * and caller context. Services verify it instead of trusting what a payload says.
 *
 * Proofs are signed and verified with fast-jwt rather than jose (which the access tokens
 * use): every RPC carries one, and jose signs and verifies on libuv's thread pool, which
 * cost each hop about twice the CPU of the Ed25519 operation itself and a thread hand-off.
 */
export class RpcProofSigner {
  private readonly signer: (claims: Omit<ProofClaims, 'iss' | 'iat' | 'exp'>) => string;

  constructor(
    readonly issuer: string,
    privateKey: string,
  ) {
    const key = readPrivateKey(privateKey);
    this.signer = createSigner({
      key: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
      algorithm: 'EdDSA',
      kid: keyIdOf(publicKeyOf(key)),
      iss: issuer,
      expiresIn: PROOF_TTL_SECONDS * 1000,
    });
  }

  sign(subject: string, input: unknown, context: { principal?: Principal; caller?: CallerContext } = {}): string {
    return this.signer({
      aud: subject,
      dig: inputDigest(input),
      ...(context.principal ? { prn: context.principal } : {}),
      ...(context.caller ? { cip: context.caller } : {}),
    });
  }
}

/** Checks proofs against the keys of the issuers this service trusts. */
export class RpcProofVerifier {
  private readonly keys: Map<string, { trusted: TrustedKey; verify: (proof: string) => ProofClaims }>;
  private readonly header = createDecoder({ complete: true });

  constructor(trusted: readonly TrustedKey[]) {
    this.keys = new Map(
      trusted.map((key) => [
        key.kid,
        {
          trusted: key,
          verify: createVerifier({
            key: key.key.export({ format: 'pem', type: 'spki' }).toString(),
            algorithms: ['EdDSA'],
            clockTolerance: CLOCK_TOLERANCE_SECONDS * 1000,
            maxAge: (PROOF_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000,
            requiredClaims: ['iss', 'aud', 'iat', 'exp', 'dig'],
          }),
        },
      ]),
    );
  }

  /** The caller a proof vouches for; a ProofError saying why when it vouches for nothing. */
  async verify(proof: string | undefined, subject: string, input: unknown): Promise<VerifiedCaller> {
    if (!proof) throw new ProofError('the request carries no proof of its caller');
    let kid: unknown;
    try {
      kid = (this.header(proof) as { header: { kid?: unknown } }).header.kid;
    } catch (error) {
      throw new ProofError(`the proof is not valid (${(error as Error).message})`);
    }
    const key = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (!key) throw new ProofError('the proof is signed with a key this service does not trust');
    let claims: ProofClaims;
    try {
      claims = key.verify(proof);
    } catch (error) {
      throw new ProofError(`the proof is not valid (${(error as Error).message})`);
    }
    if (claims.aud !== subject) throw new ProofError(`the proof is not valid (its aud names ${String(claims.aud)}, not this subject)`);
    if (claims.iss !== key.trusted.issuer) throw new ProofError('the proof names an issuer other than its key');
    if (claims.dig !== inputDigest(input)) throw new ProofError('the proof was made for other input');
    return { issuer: key.trusted.issuer, ...(claims.prn ? { principal: claims.prn } : {}), ...(claims.cip ? { caller: claims.cip } : {}) };
  }
}
