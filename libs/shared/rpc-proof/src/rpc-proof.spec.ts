import type { Principal } from '@parking/contracts';
import { decodeJwt, SignJWT } from 'jose';
import { generateProofKeyPair, keyIdOf, publicKeyOf, readPrivateKey, readTrustedKeys, trustedKeyEntry } from './proof-keys';
import { inputDigest, ProofError, RpcProofSigner, RpcProofVerifier } from './rpc-proof';

const SUBJECT = 'rpc.ingest.v1.devices.register';
const principal: Principal = {
  kind: 'user',
  tenantId: '6f1f7e52-3b0a-4d8e-9a53-2f6b0c1d9e41',
  actor: 'user:6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  userId: '6d0f0b7e-4a7c-4f55-9d1f-0c8d6c1b2a33',
  role: 'owner',
  permissions: ['devices:write'],
  isPlatformAdmin: false,
};
const input = { devEui: '70b3d54750100a1b', kind: 'sensor', codec: 'nwave-nps405', name: 'Bay 1' };

const gatewayKeys = generateProofKeyPair();
const ingestKeys = generateProofKeyPair();
const gateway = new RpcProofSigner('gateway', gatewayKeys.privateKey);
const verifier = new RpcProofVerifier(readTrustedKeys([trustedKeyEntry('gateway', gatewayKeys.publicKey), trustedKeyEntry('ingest', ingestKeys.publicKey)].join(',')));

/** A JWT signed with `privateKey` whatever its claims say: what a forger would send. */
function rawProof(privateKey: string, claims: { iss: string; iat?: number; exp?: number }) {
  const key = readPrivateKey(privateKey);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dig: inputDigest(input), prn: principal })
    .setProtectedHeader({ alg: 'EdDSA', kid: keyIdOf(publicKeyOf(key)) })
    .setIssuer(claims.iss)
    .setAudience(SUBJECT)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 30)
    .sign(key);
}

async function refusal(proof: string | undefined, subject = SUBJECT, body: unknown = input): Promise<string> {
  const outcome = await verifier.verify(proof, subject, body).then(
    () => 'accepted',
    (error: unknown) => (error instanceof ProofError ? error.message : `unexpected ${String(error)}`),
  );
  return outcome;
}

describe('RPC proofs', () => {
  it('vouch for the principal and caller the signer put in, for this subject and this input', async () => {
    const proof = await gateway.sign(SUBJECT, input, { principal, caller: { ip: '203.0.113.7' } });
    await expect(verifier.verify(proof, SUBJECT, JSON.parse(JSON.stringify(input)))).resolves.toEqual({ issuer: 'gateway', principal, caller: { ip: '203.0.113.7' } });
  });

  it('live for 30 seconds from their signing', async () => {
    const before = Math.floor(Date.now() / 1000);
    const proof = await gateway.sign(SUBJECT, input, { principal });
    const { iat, exp } = decodeJwt(proof);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(iat).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(exp).toBe((iat as number) + 30);
  });

  it('name the issuer by its key: a service signs as itself', async () => {
    const proof = await new RpcProofSigner('ingest', ingestKeys.privateKey).sign(SUBJECT, input);
    await expect(verifier.verify(proof, SUBJECT, input)).resolves.toEqual({ issuer: 'ingest' });
  });

  it('refuse a missing proof, another subject, other input, an untrusted key and a forged issuer', async () => {
    const proof = await gateway.sign(SUBJECT, input, { principal });
    expect(await refusal(undefined)).toBe('the request carries no proof of its caller');
    expect(await refusal(proof, 'rpc.identity.v1.users.remove')).toMatch(/^the proof is not valid \(.*aud/);
    expect(await refusal(proof, SUBJECT, { ...input, name: 'Bay 2' })).toBe('the proof was made for other input');
    const stranger = new RpcProofSigner('gateway', generateProofKeyPair().privateKey);
    expect(await refusal(await stranger.sign(SUBJECT, input, { principal }))).toBe('the proof is signed with a key this service does not trust');
    // ingest's own key, claiming to be the gateway: the key decides who signed.
    expect(await refusal(await rawProof(ingestKeys.privateKey, { iss: 'gateway' }))).toBe('the proof names an issuer other than its key');
    expect(await refusal('not.a.jwt')).toMatch(/^the proof is not valid/);
  });

  it('refuse a proof whose signature does not hold, an unsigned one and one without its digest', async () => {
    const proof = await gateway.sign(SUBJECT, input, { principal });
    const [header, payload] = proof.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const admin = Buffer.from(JSON.stringify({ ...claims, prn: { ...principal, isPlatformAdmin: true } })).toString('base64url');
    expect(await refusal(`${header}.${admin}.${proof.split('.')[2]}`)).toMatch(/^the proof is not valid \(.*signature/i);
    const none = Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })).toString('base64url');
    expect(await refusal(`${none}.${payload}.`)).toMatch(/^the proof is not valid/);
    const key = readPrivateKey(gatewayKeys.privateKey);
    const undigested = await new SignJWT({ prn: principal })
      .setProtectedHeader({ alg: 'EdDSA', kid: keyIdOf(publicKeyOf(key)) })
      .setIssuer('gateway')
      .setAudience(SUBJECT)
      .setIssuedAt()
      .setExpirationTime('30s')
      .sign(key);
    expect(await refusal(undigested)).toMatch(/^the proof is not valid \(.*dig/);
  });

  it('refuse an expired proof', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await rawProof(gatewayKeys.privateKey, { iss: 'gateway', iat: now - 120, exp: now - 60 });
    expect(await refusal(expired)).toMatch(/^the proof is not valid \(.*exp/);
  });

  it('read only well-formed trusted keys', () => {
    expect(() => readTrustedKeys('gateway')).toThrow(/issuer:base64url-public-key/);
    expect(() => readTrustedKeys(`Gateway:${gatewayKeys.publicKey}`)).toThrow(/issuer:base64url-public-key/);
    expect(readTrustedKeys(` gateway:${gatewayKeys.publicKey} , `).map((k) => k.issuer)).toEqual(['gateway']);
  });
});
