import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run check:deps` (CI): every workspace declares exactly what it imports.
 *  - a package imported by a workspace's src/ must be in its `dependencies` (devDependencies is
 *    enough when every such import is `import type`, which leaves nothing behind at run time);
 *  - a package imported only by its tests, benches or configs may be in either section, or be a
 *    root devDependency (the shared tooling: vitest, playwright-core, …);
 *  - nothing declared goes unused: a declared package must be imported, named by one of the
 *    manifest's scripts through its command, or be the @types of something used.
 * Root-level files (bench/, scripts/, configs) may use root devDependencies and the workspaces.
 * Exits 1 listing every problem.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', 'test-artifacts', '.data', '.git']);
const builtins = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

interface Manifest {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bin?: string | Record<string, string>;
}

interface Use {
  pkg: string;
  file: string;
  runtime: boolean;
  typeOnly: boolean;
}

const readJson = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

function listFiles(dir: string, nested = true): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      // a nested workspace is checked on its own
      if (nested && !existsSync(path.join(p, 'package.json'))) out.push(...listFiles(p));
    } else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for relative paths and builtins. */
function packageOf(spec: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtins.has(name) ? undefined : name;
}

const STATEMENT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;
const REFERENCE = /^\/\/\/\s*<reference\s+types=["']([^"']+)["']/gm;
const VITEST_ENV = /@vitest-environment\s+([\w@/.-]+)/g;
// pino loads a transport by its package name (the transport's target option) in a worker thread
const PINO_TARGET = /\btarget:\s*['"]([\w@/.-]+)['"]/g;

/** Bare imports of one file, plus the relative imports (to follow those that leave the workspace). */
function scan(file: string): { specs: { spec: string; typeOnly: boolean }[]; relative: string[] } {
  const text = readFileSync(file, 'utf8');
  const specs: { spec: string; typeOnly: boolean }[] = [];
  const relative: string[] = [];
  const add = (spec: string, typeOnly: boolean) => (spec.startsWith('.') ? relative.push(spec) : specs.push({ spec, typeOnly }));
  for (const m of text.matchAll(STATEMENT)) add(m[3]!, Boolean(m[2]) || file.endsWith('.d.ts'));
  for (const m of text.matchAll(DYNAMIC)) add(m[1]!, false);
  for (const m of text.matchAll(REFERENCE)) add(m[1]!, true);
  for (const m of text.matchAll(VITEST_ENV)) add(m[1]!, false);
  for (const m of text.matchAll(PINO_TARGET)) if (m[1]!.startsWith('pino')) add(m[1]!, false);
  return { specs, relative };
}

function resolveRelative(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, `${base}.js`, `${base}.mjs`, path.join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

function binsOf(pkg: string): string[] {
  const file = path.join(root, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) return [];
  const bin = readJson(file).bin;
  if (!bin) return [];
  return typeof bin === 'string' ? [pkg.split('/').pop()!] : Object.keys(bin);
}

/** Used through a command in a script (`vite build`, `tsc -p`, `eslint .`) rather than an import. */
function usedByScripts(pkg: string, scripts: Record<string, string> | undefined): boolean {
  const text = Object.values(scripts ?? {}).join(' && ');
  return (
    binsOf(pkg).some((b) => new RegExp(`(^|[\\s;&|(])${b.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(text)) ||
    text.includes(`--import ${pkg}`)
  );
}

/** `@types/x` is for `x`, `@types/scope__x` for `@scope/x`; `@types/node` for the builtins. */
function typesTarget(pkg: string): string | undefined {
  if (!pkg.startsWith('@types/')) return undefined;
  const t = pkg.slice('@types/'.length);
  return t.includes('__') ? `@${t.replace('__', '/')}` : t;
}

const rootManifest = readJson(path.join(root, 'package.json'));
const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}));
const workspaceDirs = (rootManifest.workspaces ?? []).flatMap((glob) => {
  const parent = path.join(root, glob.replace(/\/\*$/, ''));
  return readdirSync(parent)
    .map((d) => path.join(parent, d))
    .filter((d) => existsSync(path.join(d, 'package.json')));
});
const workspaceNames = new Set(workspaceDirs.map((d) => readJson(path.join(d, 'package.json')).name!));
const insideWorkspace = (file: string) => workspaceDirs.some((d) => file.startsWith(d + path.sep));

const problems: string[] = [];
const usedAnywhere = new Set<string>();

/** What a set of files imports; relative imports into root-level files (vite.shared.ts) count as theirs. */
function usesOf(files: string[], isRuntime: (file: string) => boolean): Use[] {
  const uses: Use[] = [];
  const seen = new Set<string>();
  const visit = (file: string, runtime: boolean) => {
    if (seen.has(file)) return;
    seen.add(file);
    const { specs, relative } = scan(file);
    for (const { spec, typeOnly } of specs) {
      const pkg = packageOf(spec);
      if (pkg) uses.push({ pkg, file: rel(file), runtime, typeOnly });
      if (pkg) usedAnywhere.add(pkg);
    }
    for (const r of relative) {
      const target = resolveRelative(file, r);
      if (target && !insideWorkspace(target) && target.startsWith(root)) visit(target, runtime);
    }
  };
  for (const f of files) visit(f, isRuntime(f));
  return uses;
}

/** Peer dependencies of a package: its users must install them too (core-react needs styled-components). */
function peersOf(pkg: string): string[] {
  const file = path.join(root, 'node_modules', pkg, 'package.json');
  return existsSync(file) ? Object.keys(readJson(file).peerDependencies ?? {}) : [];
}

function checkUnused(label: string, m: Manifest, uses: Use[]): void {
  const used = new Set(uses.map((u) => u.pkg));
  for (const pkg of [...used]) for (const peer of peersOf(pkg)) used.add(peer);
  for (const pkg of [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.devDependencies ?? {})]) {
    if (used.has(pkg) || usedByScripts(pkg, m.scripts)) continue;
    const target = typesTarget(pkg);
    if (target === 'node') continue; // every workspace runs on Node or is built by it
    if (target && (used.has(target) || usedByScripts(target, m.scripts))) continue;
    problems.push(`${label}: declares ${pkg} but never imports it`);
  }
}

for (const dir of workspaceDirs) {
  const m = readJson(path.join(dir, 'package.json'));
  const label = `${rel(dir)} (${m.name})`;
  const deps = new Set(Object.keys(m.dependencies ?? {}));
  const dev = new Set(Object.keys(m.devDependencies ?? {}));
  const uses = usesOf(listFiles(dir), (f) => rel(f).startsWith(`${rel(dir)}/src/`));
  const reported = new Set<string>();
  // a type-only import of `pg` is satisfied by `@types/pg`
  const typesOf = (pkg: string) => (pkg.startsWith('@') ? `@types/${pkg.slice(1).replace('/', '__')}` : `@types/${pkg}`);
  const declaredTypes = (pkg: string) => deps.has(typesOf(pkg)) || dev.has(typesOf(pkg));
  for (const u of uses) {
    if (u.pkg === m.name) continue;
    const key = `${u.pkg}:${u.runtime}`;
    if (reported.has(key)) continue;
    if (u.runtime) {
      const typeOnlyEverywhere = uses.filter((x) => x.pkg === u.pkg && x.runtime).every((x) => x.typeOnly);
      if (deps.has(u.pkg) || (typeOnlyEverywhere && (dev.has(u.pkg) || declaredTypes(u.pkg)))) continue;
      reported.add(key);
      problems.push(
        dev.has(u.pkg)
          ? `${label}: ${u.file} imports ${u.pkg} at run time, but it is only a devDependency`
          : `${label}: ${u.file} imports ${u.pkg}, which is not in its dependencies`,
      );
    } else {
      if (deps.has(u.pkg) || dev.has(u.pkg) || rootDev.has(u.pkg) || (u.typeOnly && declaredTypes(u.pkg))) continue;
      reported.add(key);
      problems.push(`${label}: ${u.file} imports ${u.pkg}, which is not declared (devDependencies)`);
    }
  }
  checkUnused(label, m, uses);
}

// Root-level files: bench/, scripts/, the shared configs.
const rootFiles = listFiles(root, false).concat(
  readdirSync(root, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && !SKIP_DIRS.has(e.name) && !workspaceDirs.some((d) => d.startsWith(path.join(root, e.name) + path.sep)),
    )
    .flatMap((e) => listFiles(path.join(root, e.name))),
);
const rootUses = usesOf(rootFiles, () => false);
for (const u of rootUses) {
  if (rootDev.has(u.pkg) || workspaceNames.has(u.pkg)) continue;
  // vite.shared.ts is checked as part of the web apps that import it
  if (u.file === 'vite.shared.ts') continue;
  problems.push(`root: ${u.file} imports ${u.pkg}, which is not a root devDependency`);
}
for (const pkg of rootDev) {
  if (usedAnywhere.has(pkg) || usedByScripts(pkg, rootManifest.scripts)) continue;
  const target = typesTarget(pkg);
  if (target === 'node' || (target && usedAnywhere.has(target))) continue;
  problems.push(`root: declares devDependency ${pkg} but nothing imports it and no script runs it`);
}

if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-deps: ${workspaceDirs.length} workspaces and the root declare exactly what they import`);
