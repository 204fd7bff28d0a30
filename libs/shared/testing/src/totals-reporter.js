// Prints the slowest test files, then one plain closing line, "N passed, N failed", after
// jest's own summary.
const SLOWEST = 12;

class TotalsReporter {
  constructor() {
    this.durations = [];
  }

  onTestResult(test, result) {
    const { start, end } = result.perfStats ?? {};
    if (start && end) this.durations.push({ file: test.path.replace(`${process.cwd()}/`, ''), seconds: (end - start) / 1000 });
  }

  onRunComplete(_contexts, results) {
    const slowest = this.durations.sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST);
    if (slowest.length > 0) {
      process.stdout.write(`\nslowest test files:\n${slowest.map((d) => `${d.seconds.toFixed(0).padStart(6)} s  ${d.file}`).join('\n')}\n`);
    }
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed\n`);
  }
}
module.exports = TotalsReporter;
