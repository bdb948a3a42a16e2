import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// src/core is the framework-free domain (../shared/STYLE.md): it may not import Nest,
// TypeORM, pg or the class-validator family. This rule is what enforces that.
const frameworkImports = {
  patterns: [
    { group: ['@nestjs/*'], message: 'src/core is framework-free: no NestJS here.' },
    { group: ['typeorm', 'typeorm/*'], message: 'src/core is framework-free: no TypeORM here.' },
    { group: ['pg', 'pg/*', 'pg-*'], message: 'src/core is framework-free: no database driver here.' },
    { group: ['class-validator', 'class-transformer'], message: 'src/core is framework-free: validate at the edge.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.caveat/**', 'src/**/*.html'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', frameworkImports] },
  },
  {
    // Response bodies in tests are read loosely on purpose.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
