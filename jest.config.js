// Jest runs under `node --experimental-vm-modules` because NestJS 12 ships ESM only
// (../shared/STACK.md): TypeScript is compiled by swc to ES modules, and the two ESM-only
// transitive packages are let through the transform.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  },
];
const esmOnly = ['content-disposition', 'cookie'];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`node_modules/(${esmOnly.join('|')})/.+\\.js$`]: [
      '@swc/jest',
      { module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  testEnvironment: 'node',
  // Dynamic imports carry .js extensions (nodenext); map them back to the .ts sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

module.exports = {
  // A global option (ignored inside projects): e2e files start services on fresh databases
  // (embedded: 2–4 s to create, more on a loaded 2-core machine).
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
