/**
 * The Nx tags and the module-boundaries rule keep services apart: linting code that crosses
 * a boundary fails. (The rule needs Nx's project graph, which `nx show projects` computes.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../../..');

interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
}

/** ESLint runs as its own process: its ES-module config does not load inside jest's sandbox. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', file, '--format', 'json'], {
    cwd: root,
    input: code,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: LintMessage[] }>;
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries' && m.severity === 2).map((m) => m.message);
}

describe('module boundaries', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: 'ignore',
    });
  }, 120_000);

  it('refuses an app importing another service’s data access', async () => {
    const errors = await boundaryErrors('apps/occupancy/src/probe.ts', `import { createIdentityDatabase } from '@parking/identity/data-access';\nexport const x = createIdentityDatabase;\n`);
    expect(errors.join('\n')).toMatch(/scope:occupancy.*can only depend on libs tagged with.*scope:occupancy/);
  });

  it('refuses the gateway importing any data access', async () => {
    const errors = await boundaryErrors('apps/gateway/src/probe.ts', `import { createIngestDatabase } from '@parking/ingest/data-access';\nexport const x = createIngestDatabase;\n`);
    expect(errors.join('\n')).toMatch(/scope:gateway.*can only depend on libs tagged with "scope:shared"/);
  });

  it('refuses an app importing another app', async () => {
    const errors = await boundaryErrors('apps/gateway/src/probe.ts', `import { IdentityModule } from '../../identity/src/identity.module';\nexport const x = IdentityModule;\n`);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows a service its own data access and the shared libraries', async () => {
    const errors = await boundaryErrors(
      'apps/identity/src/probe.ts',
      `import { createIdentityDatabase } from '@parking/identity/data-access';\nimport { STREAMS } from '@parking/contracts';\nexport const x = [createIdentityDatabase, STREAMS];\n`,
    );
    expect(errors).toEqual([]);
  });
});
