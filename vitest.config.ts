// One vitest configuration for the monorepo. Workspace packages resolve to their TypeScript sources through the
// `@mosy/source` export condition, so tests need no build. Projects: `unit` (fast, no services), `integration`
// (`*.int.test.ts`, real services from deploy/local) and `e2e` (tests/e2e, the whole pipeline per runtime).
import { defineConfig } from 'vitest/config';

// Vitest passes the SSR conditions to its workers as node `--conditions` flags; `import` there would make
// CommonJS `require()` of dual packages load their ESM files, so only the source condition and `node` are listed.
const conditions = ['@mosy/source', 'node'];

export default defineConfig({
  resolve: { conditions: [...conditions, 'import', 'default'] },
  ssr: { resolve: { conditions, externalConditions: ['@mosy/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'schemas/src/**/*.test.ts',
            'web/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'services/*/src/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
