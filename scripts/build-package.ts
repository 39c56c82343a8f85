/**
 * `npm run build` (run by `npm pack` too, as prepack): the package users install. src/ compiled to
 * dist/ (JavaScript, declarations, source maps), then the workflow bundle prebuilt from the compiled
 * workflow code, so that workers skip webpack at start (see src/worker/workflow-bundle.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePrebuiltBundle } from '../src/worker/workflow-bundle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

// From scratch: a file deleted from src/ must not live on in the package.
rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed (above)');
  process.exit(1);
}
// The run console's page is served as it is written (src/server/console/routes.ts): tsc does not copy it.
cpSync(join(root, 'src', 'server', 'console', 'page'), join(dist, 'server', 'console', 'page'), { recursive: true });
const started = Date.now();
const { codePath, bytes } = await writePrebuiltBundle(join(dist, 'workflows', 'index.js'));
console.log(`build: ${relative(root, codePath)} (${(bytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms`);
