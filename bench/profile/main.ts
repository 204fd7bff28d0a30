// `node dist/bench/profile/main.js <dir> [top]`: the summary of every *.cpuprofile in <dir>
// (the benches write them with BENCH_E2E_CPU_PROFILE_DIR), as Markdown on stdout.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderProfileSummary, summarizeProfile, type CpuProfile } from './summary';

const [dir, top] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node dist/bench/profile/main.js <directory of .cpuprofile files> [top functions, default 15]');
  process.exit(2);
}
const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort();
if (files.length === 0) {
  console.error(`no .cpuprofile files in ${dir}`);
  process.exit(1);
}
for (const file of files) {
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  console.log(renderProfileSummary(file.replace(/\.cpuprofile$/, ''), summarizeProfile(profile, Number(top) || 15)).join('\n'));
}
