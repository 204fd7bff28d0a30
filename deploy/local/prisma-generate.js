// Generates the Prisma client of every service schema (prisma/<schema>/prisma.config.ts),
// offline and in parallel. Plain CommonJS so it runs before anything is compiled.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const prismaRoot = path.join(root, 'prisma');
const prismaCli = path.join(path.dirname(require.resolve('prisma/package.json', { paths: [root] })), 'build', 'index.js');

const env = {
  ...process.env,
  // The CLI wants the native schema engine before any command and would download it;
  // `generate` never runs it, so any existing file satisfies the check.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  // env('DATABASE_URL') in prisma.config.ts throws when unset, even though generate never connects.
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://generate@localhost/unused',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

function schemas() {
  return fs
    .readdirSync(prismaRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(prismaRoot, entry.name, 'prisma.config.ts')))
    .map((entry) => entry.name)
    .sort();
}

function generate(schema) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [prismaCli, 'generate', '--config', path.join('prisma', schema, 'prisma.config.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ schema, code, output, ms: Date.now() - started }));
  });
}

// Each CLI run is CPU-bound; more of them than cores only makes every one slower.
async function generateAll(names) {
  const results = [];
  const queue = [...names];
  const workers = Array.from({ length: Math.min(os.availableParallelism(), queue.length) }, async () => {
    for (let name = queue.shift(); name; name = queue.shift()) results.push(await generate(name));
  });
  await Promise.all(workers);
  return results.sort((a, b) => a.schema.localeCompare(b.schema));
}

async function main() {
  const results = await generateAll(schemas());
  let failed = false;
  for (const result of results) {
    if (result.code === 0) {
      process.stdout.write(`prisma generate ${result.schema}: ok (${result.ms} ms)\n`);
    } else {
      failed = true;
      process.stderr.write(`prisma generate ${result.schema}: failed (exit ${result.code})\n${result.output}\n`);
    }
  }
  if (results.length === 0) {
    process.stderr.write(`prisma generate: no prisma/<schema>/prisma.config.ts under ${prismaRoot}\n`);
    failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

main();
