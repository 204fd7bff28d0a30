// One jest run for the whole workspace. Unit specs (*.spec.ts) use mocks; integration
// specs (*.int-spec.ts) and end-to-end specs (*.e2e-spec.ts) talk to real PostgreSQL,
// NATS and Redis named by DATABASE_URL / NATS_URL / REDIS_URL (localhost by default).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/.]/g, '\\$&')}$`] = `<rootDir>/${target}`;
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
};

module.exports = {
  // Integration tests start processes and wait on real servers; unit tests finish far sooner.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/libs/shared/testing/src/totals-reporter.js'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,deploy,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,deploy}/**/*.int-spec.ts', '<rootDir>/{apps,libs,deploy}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/shared/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/shared/testing/src/global-teardown.ts',
    },
  ],
};
