import { OCCUPANCY_INVENTORY_RPC } from '@parking/contracts';
import { readTrustedKeys, RpcProofSigner, RpcProofVerifier } from '@parking/rpc-proof';
import { ALL_SERVICES } from './service-launcher';
import { TEST_RPC_KEYS } from './rpc-test-keys';

describe('the RPC keys of test processes', () => {
  const verifier = new RpcProofVerifier(readTrustedKeys(TEST_RPC_KEYS.trustedKeys));
  const sign = (proof: { issuer: string; signingKey: string }, subject: string) => new RpcProofSigner(proof.issuer, proof.signingKey).sign(subject, {});

  it('are trusted by launched services for every signer, each under its own issuer', async () => {
    const subject = OCCUPANCY_INVENTORY_RPC.snapshot.subject;
    await expect(verifier.verify(await sign(TEST_RPC_KEYS.gatewayProof, subject), subject, {})).resolves.toEqual({ issuer: 'gateway' });
    await expect(verifier.verify(await sign(TEST_RPC_KEYS.reservationsProof, subject), subject, {})).resolves.toEqual({ issuer: 'reservations' });
    await expect(verifier.verify(await sign(TEST_RPC_KEYS.downlinkProof, subject), subject, {})).resolves.toEqual({ issuer: 'downlink' });
    // A service's key cannot pass for the gateway's, nor for another service's.
    await expect(verifier.verify(await sign({ ...TEST_RPC_KEYS.reservationsProof, issuer: 'gateway' }, subject), subject, {})).rejects.toThrow(/issuer other than its key/);
    await expect(verifier.verify(await sign({ ...TEST_RPC_KEYS.downlinkProof, issuer: 'gateway' }, subject), subject, {})).rejects.toThrow(/issuer other than its key/);
    await expect(verifier.verify(await sign({ ...TEST_RPC_KEYS.downlinkProof, issuer: 'reservations' }, subject), subject, {})).rejects.toThrow(/issuer other than its key/);
    expect(OCCUPANCY_INVENTORY_RPC.snapshot.callers).toContain(TEST_RPC_KEYS.reservationsProof.issuer);
  });

  it('give a signing key to the gateway, reservations and downlink only, each its own', () => {
    const keys = Object.fromEntries(ALL_SERVICES.map((service) => [service, TEST_RPC_KEYS.signingKeyOf(service)]));
    expect(keys).toEqual({
      gateway: TEST_RPC_KEYS.gatewayProof.signingKey,
      identity: undefined,
      ingest: undefined,
      occupancy: undefined,
      reservations: TEST_RPC_KEYS.reservationsProof.signingKey,
      downlink: TEST_RPC_KEYS.downlinkProof.signingKey,
      'chirpstack-sync': undefined,
    });
    expect(new Set([TEST_RPC_KEYS.gatewayProof.signingKey, TEST_RPC_KEYS.reservationsProof.signingKey, TEST_RPC_KEYS.downlinkProof.signingKey]).size).toBe(3);
  });
});
