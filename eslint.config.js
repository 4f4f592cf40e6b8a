import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'native/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The station core runs headless under plain Node: only the Electron shell may import electron.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The station core must run headless: keep electron in src/main/electron.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared code is pure TypeScript used by both sides: no Node, DOM-only or Electron modules.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '../main/*', '../renderer/*', '../preload/*'],
              message: 'src/shared must stay runtime-neutral.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    // `*.node.test.ts`: renderer tests that run Node tools (ffmpeg) under vitest, never in the page.
    ignores: ['src/renderer/**/*.node.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', '../main/*', '../../main/*'],
              message: 'The renderer runs in a sandboxed page.',
            },
          ],
        },
      ],
    },
  },
)
