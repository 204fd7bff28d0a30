import { createHash, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
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

interface ProofClaims extends JWTPayload {
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
 */
export class RpcProofSigner {
  private readonly key: KeyObject;
  private readonly kid: string;

  constructor(
    readonly issuer: string,
    privateKey: string,
  ) {
    this.key = readPrivateKey(privateKey);
    this.kid = keyIdOf(publicKeyOf(this.key));
  }

  sign(subject: string, input: unknown, context: { principal?: Principal; caller?: CallerContext } = {}): Promise<string> {
    const claims: ProofClaims = { dig: inputDigest(input), ...(context.principal ? { prn: context.principal } : {}), ...(context.caller ? { cip: context.caller } : {}) };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: this.kid })
      .setIssuer(this.issuer)
      .setAudience(subject)
      .setIssuedAt()
      .setExpirationTime(`${PROOF_TTL_SECONDS}s`)
      .sign(this.key);
  }
}

/** Checks proofs against the keys of the issuers this service trusts. */
export class RpcProofVerifier {
  private readonly keys: Map<string, TrustedKey>;

  constructor(trusted: readonly TrustedKey[]) {
    this.keys = new Map(trusted.map((key) => [key.kid, key]));
  }

  /** The caller a proof vouches for; a ProofError saying why when it vouches for nothing. */
  async verify(proof: string | undefined, subject: string, input: unknown): Promise<VerifiedCaller> {
    if (!proof) throw new ProofError('the request carries no proof of its caller');
    let trusted: TrustedKey | undefined;
    let claims: ProofClaims;
    try {
      const verified = await jwtVerify<ProofClaims>(
        proof,
        (header) => {
          trusted = header.kid ? this.keys.get(header.kid) : undefined;
          if (!trusted) throw new ProofError('the proof is signed with a key this service does not trust');
          return trusted.key;
        },
        { algorithms: ['EdDSA'], audience: subject, clockTolerance: CLOCK_TOLERANCE_SECONDS, maxTokenAge: PROOF_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS },
      );
      claims = verified.payload;
    } catch (error) {
      throw error instanceof ProofError ? error : new ProofError(`the proof is not valid (${(error as Error).message})`);
    }
    if (!trusted || claims.iss !== trusted.issuer) throw new ProofError('the proof names an issuer other than its key');
    if (claims.dig !== inputDigest(input)) throw new ProofError('the proof was made for other input');
    return { issuer: trusted.issuer, ...(claims.prn ? { principal: claims.prn } : {}), ...(claims.cip ? { caller: claims.cip } : {}) };
  }
}
