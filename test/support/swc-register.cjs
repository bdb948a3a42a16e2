// Lets `node -r ./test/support/swc-register.cjs src/main.ts` run the TypeScript sources directly,
// compiled per file by swc (the compiler the jest transform uses) to CommonJS, as `tsc` would for
// dist/. test/e2e/cluster.e2e-spec.ts starts real service processes this way: cluster workers
// are separate Node processes, outside jest's transform, and the tests must not need a build.
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = (filename) => ({
  filename,
  sourceMaps: 'inline',
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
});

require.extensions['.ts'] = (module, filename) => {
  module._compile(transformSync(readFileSync(filename, 'utf8'), options(filename)).code, filename);
};
