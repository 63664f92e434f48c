// ESLint 9 flat config: the recommended JavaScript and typescript-eslint rules (syntax-only, no type
// information: tsc already type-checks, and a type-aware lint would double the time), plus the
// rules of hooks for the two React apps. Formatting is Prettier's job (`npm run format`).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'fetch'].map((n) => [n, 'readonly']),
);
const browserGlobals = Object.fromEntries(['window', 'document', 'performance', 'console'].map((n) => [n, 'readonly']));

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'coverage/', 'test-artifacts/', '.data/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (positional parameters, destructured-away fields).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Prettier wraps code at 140 columns; this catches what it cannot (comments). Long strings,
      // template literals (SQL, messages) and URLs stay whole: splitting them hurts grep and review.
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    // Tests read untyped JSON bodies from real HTTP responses; `any` there keeps assertions short.
    files: ['**/test/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The API's composition root is typed (apps/api/src/services.ts, README "Composition root"):
    // a cast is how an untyped bag of services would creep back in.
    files: ['apps/api/src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "TSAsExpression[expression.type='TSAsExpression'][expression.typeAnnotation.type='TSUnknownKeyword']",
          message: '`as unknown as` hides a type mismatch: fix the type instead.',
        },
        {
          selector:
            "TSAsExpression:has(MemberExpression[property.name='services']), TSAsExpression:has(MemberExpression[object.name='services'])",
          message: 'Services are typed (services.ts, app.ts AppServices): declare what a feature needs instead of casting.',
        },
      ],
    },
  },
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: nodeGlobals } },
  { files: ['bench/bare-react/**/*.js'], languageOptions: { globals: browserGlobals } },
  {
    files: ['apps/console/src/**/*.{ts,tsx}', 'apps/side-panel/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
