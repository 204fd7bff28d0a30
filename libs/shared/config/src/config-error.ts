/** One missing or invalid variable, already safe to print. */
export interface ConfigProblem {
  variable: string;
  expected: string;
  /** `not set`, `got "abc"` or `value hidden`. */
  actual: string;
}

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(problems));
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 variable is' : `${problems.length} variables are`;
  const lines = problems.map((p) => `  ${p.variable}: ${p.expected} (${p.actual})`);
  return [`Invalid configuration: ${count} missing or invalid.`, ...lines].join('\n');
}
