/**
 * `npm run nats:config`: the NATS server authorization generated from NATS_ACCESS, for a
 * server the platform does not start itself (compose, Kubernetes, an operator's NATS).
 *
 *   --namespace <ns>          the services' NATS_NAMESPACE (default: NATS_NAMESPACE or none)
 *   --passwords env           each service's NATS_PASSWORD_<SERVICE> from the environment (default)
 *   --passwords generate      fresh random passwords
 *   --passwords file:<path>   a JSON file {"<service>": "<password>"} (npm start keeps .data/nats/passwords.json)
 *   --passwords references    `$NATS_PASSWORD_<SERVICE>`, read by nats-server from its own environment
 *   --format conf             the `authorization {}` block for nats-server (default)
 *   --format env              NATS_PASSWORD_<SERVICE>=… lines (an .env file, a Secret's env file)
 *   --format k8s-secrets      the Secrets: parking-nats-auth (namespace --k8s-namespace, default nats)
 *                             holding the block, and parking-nats-<service> (namespace parking) each
 *   --out <file>              write there, mode 0600, instead of standard output
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { renderNatsConfig, type NatsConfigRequest, type OutputFormat, type PasswordSource } from './nats-config-formats';

const FORMATS: readonly OutputFormat[] = ['conf', 'env', 'k8s-secrets'];

function parse(args: string[]): NatsConfigRequest & { out?: string } {
  const request: NatsConfigRequest & { out?: string } = { namespace: process.env.NATS_NAMESPACE ?? '', passwords: { kind: 'env' }, format: 'conf', k8sNamespace: 'nats' };
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    if (flag === '--namespace') request.namespace = value;
    else if (flag === '--passwords') request.passwords = passwordSource(value);
    else if (flag === '--format' && (FORMATS as readonly string[]).includes(value)) request.format = value as OutputFormat;
    else if (flag === '--k8s-namespace') request.k8sNamespace = value;
    else if (flag === '--out') request.out = value;
    else throw new Error(`unknown option ${flag} ${value} (see deploy/nats/nats-config-cli.ts)`);
  }
  return request;
}

function passwordSource(value: string): PasswordSource {
  if (value === 'env' || value === 'generate' || value === 'references') return { kind: value };
  if (value.startsWith('file:')) return { kind: 'file', path: value.slice('file:'.length) };
  throw new Error(`--passwords takes env, generate, references or file:<path>, not ${value}`);
}

try {
  const request = parse(process.argv.slice(2));
  const text = renderNatsConfig(request);
  if (request.out) {
    writeFileSync(request.out, text, { mode: 0o600 });
    // An existing file keeps its mode on write: passwords may be in it.
    chmodSync(request.out, 0o600);
    process.stderr.write(`wrote ${request.out}\n`);
  } else {
    process.stdout.write(text);
  }
} catch (error) {
  process.stderr.write(`nats:config: ${(error as Error).message}\n`);
  process.exit(64);
}
