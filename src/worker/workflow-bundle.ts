/**
 * The workflow bundle a worker loads: webpack's build of src/workflows with the Temporal SDK's
 * workflow runtime. Bundling costs about 2 s and 140 MB at every worker start, so the published
 * package carries one built at pack time (`npm run build`) next to the compiled workflow code, with
 * a manifest of what it was built from. A worker uses it only while every one of those files and
 * packages is unchanged, and bundles at start otherwise (always, when running this repository's
 * sources, which have no prebuilt bundle).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { BundleOptions, WorkflowBundle } from '@temporalio/worker';

// The package runs compiled dist/**/*.js, this repository runs src/**/*.ts: the workflow entry
// point has this module's own extension.
const OWN_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
export const WORKFLOWS_PATH = fileURLToPath(new URL(`../workflows/index${OWN_EXTENSION}`, import.meta.url));

/** What a prebuilt bundle was built from; paths are relative to the bundle's folder. */
interface BundleManifest {
  entry: string;
  bundleSha256: string;
  /** Our own modules in the bundle → sha256 of their content. */
  files: Record<string, string>;
  /** Third-party packages in the bundle → the version bundled (an npm version's content never changes). */
  packages: Record<string, string>;
}

/** The workflow bundle for `workflowsPath`: the prebuilt one when it matches the installed code, else bundled now. */
export async function bundleWorkflows(workflowsPath = WORKFLOWS_PATH): Promise<WorkflowBundle> {
  return prebuiltBundle(workflowsPath) ?? (await buildBundle(workflowsPath)).bundle;
}

/** Bundles `workflowsPath` and writes the bundle and its manifest next to its folder (dist/workflow-bundle.js). */
export async function writePrebuiltBundle(workflowsPath: string): Promise<{ codePath: string; bytes: number }> {
  const { codePath, manifestPath } = prebuiltPaths(workflowsPath);
  const { bundle, modules } = await buildBundle(workflowsPath);
  const base = dirname(codePath);
  const manifest: BundleManifest = { entry: relative(base, workflowsPath), bundleSha256: sha256(bundle.code), files: {}, packages: {} };
  for (const module of modules) {
    const owner = packageOf(module);
    if (owner) manifest.packages[owner.name] = owner.version;
    else if (existsSync(module)) manifest.files[relative(base, module)] = sha256(readFileSync(module));
    // Anything else is the entry point the bundler generates in memory from its options.
  }
  writeFileSync(codePath, bundle.code);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { codePath, bytes: Buffer.byteLength(bundle.code) };
}

/** The prebuilt bundle if it was built from exactly what is installed now. */
export function prebuiltBundle(workflowsPath = WORKFLOWS_PATH): WorkflowBundle | undefined {
  const { codePath, manifestPath } = prebuiltPaths(workflowsPath);
  if (!existsSync(manifestPath) || !existsSync(codePath)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
    const base = dirname(codePath);
    const code = readFileSync(codePath, 'utf8');
    const requireFromEntry = createRequire(workflowsPath);
    const matches =
      resolve(base, manifest.entry) === workflowsPath &&
      sha256(code) === manifest.bundleSha256 &&
      Object.entries(manifest.files).every(([file, hash]) => sha256(readFileSync(join(base, file))) === hash) &&
      Object.entries(manifest.packages).every(([name, version]) => installedVersion(requireFromEntry, name) === version);
    return matches ? { code } : undefined;
  } catch {
    return undefined; // a file it was built from is gone: bundle anew
  }
}

function prebuiltPaths(workflowsPath: string): { codePath: string; manifestPath: string } {
  const base = dirname(dirname(workflowsPath));
  return { codePath: join(base, 'workflow-bundle.js'), manifestPath: join(base, 'workflow-bundle.json') };
}

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

async function buildBundle(workflowsPath: string): Promise<{ bundle: WorkflowBundle; modules: string[] }> {
  const modules = new Set<string>();
  // Records every file webpack put in the bundle: the manifest lists exactly what it depends on.
  const recordModules = (config: WebpackConfig): WebpackConfig => ({
    ...config,
    plugins: [
      ...(config.plugins ?? []),
      {
        apply(compiler) {
          compiler.hooks.done.tap('durable-agents-bundle-manifest', (stats) => {
            for (const module of stats.compilation.modules) {
              const resource = (module as { resource?: string }).resource;
              if (resource) modules.add(resource.split('?')[0]!);
            }
          });
        },
      },
    ],
  });
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: interceptorModulesBeside(workflowsPath),
    logger: quietBundlerLogger,
    webpackConfigHook: recordModules,
  });
  return { bundle, modules: [...modules] };
}

/**
 * The workflows' interceptor modules, beside their entry point: the reset observer
 * (src/workflows/reset-observer.ts) and the trace interceptors (src/workflows/trace-interceptors.ts).
 */
function interceptorModulesBeside(workflowsPath: string): string[] {
  return ['reset-observer', 'trace-interceptors'].map((name) => join(dirname(workflowsPath), `${name}${extname(workflowsPath)}`)).filter((module) => existsSync(module));
}

/** The npm package a bundled file belongs to (the last `node_modules` in its path), if any. */
function packageOf(file: string): { name: string; version: string } | undefined {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return undefined;
  const segments = file.slice(at + marker.length).split(sep);
  const name = segments[0]!.startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0]!;
  const packageJson = join(file.slice(0, at + marker.length), name, 'package.json');
  return { name, version: (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version };
}

/** The version of `name` that Node's lookup from the workflow code finds (by folder: some packages' exports hide package.json). */
function installedVersion(requireFromEntry: NodeJS.Require, name: string): string | undefined {
  for (const folder of requireFromEntry.resolve.paths(name) ?? []) {
    const packageJson = join(folder, name, 'package.json');
    if (existsSync(packageJson)) return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  }
  return undefined;
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string, meta?: unknown) {
    console.warn(message, meta ?? '');
  },
  error(message: string, meta?: unknown) {
    console.error(message, meta ?? '');
  },
};
