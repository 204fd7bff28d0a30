// Where a service's CPU time goes, from the V8 CPU profiles the benches write
// (BENCH_E2E_CPU_PROFILE_DIR): self time by function and by package, so a profile can be read
// in a results file without opening DevTools.
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileShare {
  name: string;
  ms: number;
  /** Of the profile's busy time (idle and garbage collection count apart). */
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers. */
  wallMs: number;
  /** Sampled time not idle. */
  busyMs: number;
  gcMs: number;
  topFunctions: ProfileShare[];
  packages: ProfileShare[];
}

const IDLE = new Set(['(idle)', '(program)']);

/** `node_modules/<package>` (scoped too), `node:<module>` for Node's own, `ours` for the workspace's code. */
export function packageOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url.split('/')[0];
  const marker = '/node_modules/';
  const at = url.lastIndexOf(marker);
  if (at >= 0) {
    const parts = url.slice(at + marker.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return url.includes('/dist/') ? 'ours' : '(other)';
}

function frameName(frame: CallFrame): string {
  const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : 'native';
  return `${frame.functionName || '(anonymous)'} ${packageOf(frame.url)} ${where}`;
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // A sample's time is the delta that follows it (as DevTools counts it).
  for (let i = 0; i < samples.length; i++) {
    const ms = (deltas[i + 1] ?? 0) / 1000;
    selfMs.set(samples[i], (selfMs.get(samples[i]) ?? 0) + ms);
  }
  let busyMs = 0;
  let gcMs = 0;
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || IDLE.has(frame.functionName)) continue;
    busyMs += ms;
    if (frame.functionName === '(garbage collector)') gcMs += ms;
    const fn = frameName(frame);
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    const pkg = frame.functionName === '(garbage collector)' ? '(garbage collector)' : packageOf(frame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  }
  const ranked = (totals: Map<string, number>): ProfileShare[] =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
  return { wallMs: (profile.endTime - profile.startTime) / 1000, busyMs, gcMs, topFunctions: ranked(functions), packages: ranked(packages) };
}

export function renderProfileSummary(service: string, summary: ProfileSummary): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    `### ${service}`,
    '',
    `${summary.busyMs.toFixed(0)} ms busy in ${(summary.wallMs / 1000).toFixed(1)} s (${((summary.busyMs / summary.wallMs) * 1000).toFixed(0)} CPU ms/s on the main thread), garbage collection ${pct(summary.gcMs / Math.max(summary.busyMs, 1))}.`,
    '',
    '| package | self time | share |',
    '| --- | ---: | ---: |',
    ...summary.packages.map((p) => `| ${p.name} | ${p.ms.toFixed(0)} ms | ${pct(p.share)} |`),
    '',
    '| function (package, file:line) | self time | share |',
    '| --- | ---: | ---: |',
    ...summary.topFunctions.map((f) => `| ${f.name.replace(/\|/g, '\\|')} | ${f.ms.toFixed(0)} ms | ${pct(f.share)} |`),
    '',
  ];
}
