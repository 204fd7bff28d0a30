// Loaded into every service with NODE_OPTIONS=--require when BENCH_E2E_CPU_PROFILE_DIR is set
// (Node 20 refuses --cpu-prof there). The first SIGUSR2 starts V8's sampling profiler, the
// second writes <dir>/<service>-<pid>.cpuprofile (open it in Chrome DevTools): so the profile
// covers the fixed-rate step only, not start-up and seeding.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
// dist/apps/<service>/src/main.js
const service = path.basename(path.dirname(path.dirname(process.argv[1] ?? 'unknown')));
let session: Session | undefined;

if (dir) {
  process.on('SIGUSR2', () => {
    if (!session) {
      const started = new Session();
      started.connect();
      started.post('Profiler.enable', () => started.post('Profiler.start'));
      session = started;
      return;
    }
    const running = session;
    session = undefined;
    running.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      running.disconnect();
    });
  });
}
