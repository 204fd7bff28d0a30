// `npm run rpc:keys [issuer]`: a new Ed25519 key pair for a service that signs RPC proofs
// (default the gateway): its RPC_SIGNING_KEY, and the entry every service it calls adds to
// RPC_TRUSTED_KEYS. To rotate, add the new entry beside the old one first, then switch the key.
import { generateProofKeyPair, trustedKeyEntry } from './proof-keys';

const issuer = process.argv[2] ?? 'gateway';
const pair = generateProofKeyPair();
process.stdout.write(`# the ${issuer}'s secret: give it to the ${issuer} only\nRPC_SIGNING_KEY=${pair.privateKey}\n`);
process.stdout.write(`# add to RPC_TRUSTED_KEYS (comma-separated) of every service the ${issuer} calls\n${trustedKeyEntry(issuer, pair.publicKey)}\n`);
