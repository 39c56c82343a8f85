/**
 * nginx (Debian's, installed by scripts/setup.sh) in front of the API processes, with the proxy
 * settings of deploy/nginx.conf, the gateway docker-compose.yml runs: its `map` blocks and its
 * `location /` block as they are, but for the upstream, which here is the local API processes
 * (compose finds its replicas through Docker's DNS). In the foreground (`daemon off`), on a free
 * loopback port, everything it writes in a temporary folder; it dies with the test process
 * (../../support/processes.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from '../../../src/dev-server/temporal-cli.ts';
import { killProcess, startProcess } from '../../support/processes.ts';
import { ROOT } from './temporal-server.ts';

export interface Nginx {
  url: string;
  /** The master; its worker is its child. */
  pid: number;
  /** The access log: each request with the API that answered it (`upstream=`). */
  accessLog(): string;
  stop(): Promise<void>;
}

/** `NGINX_PATH`, else `nginx` on PATH or in /usr/sbin. */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NGINX_PATH) return existsSync(env.NGINX_PATH) ? env.NGINX_PATH : undefined;
  for (const dir of [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin']) {
    if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return undefined;
}

export function nginxMissing(): string | undefined {
  return findNginx() ? undefined : 'nginx is not installed (run scripts/setup.sh as root: apt-get install nginx), or set NGINX_PATH';
}

/** The directives of deploy/nginx.conf's `location /`, without its Docker-specific upstream (`set $api`, `proxy_pass $api`). */
export function deployedProxySettings(): string[] {
  const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8').replace(/#.*$/gm, '');
  const block = /location\s+\/\s*\{([^}]*)\}/.exec(conf);
  if (!block) throw new Error('deploy/nginx.conf has no `location / { ... }` block');
  const directives = block[1]!.split(';').map((directive) => directive.trim().replace(/\s+/g, ' ')).filter(Boolean);
  const settings = directives.filter((directive) => !/^set \$api /.test(directive) && directive !== 'proxy_pass $api');
  if (settings.length !== directives.length - 2) throw new Error(`deploy/nginx.conf's upstream is not \`set $api ...; proxy_pass $api;\` any more: ${directives.join('; ')}`);
  return settings;
}

/** deploy/nginx.conf's `map` blocks (variables its proxy settings use, such as `$connection_upgrade`), as they are. */
export function deployedMaps(): string[] {
  const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8').replace(/#.*$/gm, '');
  return [...conf.matchAll(/map\s+\S+\s+\S+\s*\{[^}]*\}/g)].map((match) => match[0]);
}

/** deploy/nginx.conf's `events` block (how many connections a worker takes), as it is. */
export function deployedEvents(): string {
  const conf = readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8').replace(/#.*$/gm, '');
  const block = /events\s*\{[^}]*\}/.exec(conf);
  if (!block) throw new Error('deploy/nginx.conf has no `events { ... }` block');
  return block[0];
}

/** `port`: where it listens (chosen before, when others must know it first); default a free one. */
export async function startNginx(upstreams: string[], port?: number): Promise<Nginx> {
  const nginx = findNginx();
  if (!nginx) throw new Error(nginxMissing());
  const folder = mkdtempSync(join(tmpdir(), 'cluster-nginx-'));
  // Its workers drop to an unprivileged user when it runs as root: they must reach the folder.
  chmodSync(folder, 0o755);
  port ??= await freePort();
  const accessLog = join(folder, 'access.log');
  const config = `
daemon off;
worker_processes 1;
pid ${join(folder, 'nginx.pid')};
error_log stderr notice;
${deployedEvents()}
http {
  client_body_temp_path ${join(folder, 'client-body')};
  proxy_temp_path ${join(folder, 'proxy')};
  fastcgi_temp_path ${join(folder, 'fastcgi')};
  uwsgi_temp_path ${join(folder, 'uwsgi')};
  scgi_temp_path ${join(folder, 'scgi')};
  log_format upstream '$request status=$status upstream=$upstream_addr';
  access_log ${accessLog} upstream;
${deployedMaps().join('\n')}
  upstream api {
${upstreams.map((upstream) => `    server ${upstream};`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://api;
      # Which API answered (for the tests, not in deploy/nginx.conf).
      add_header X-Upstream $upstream_addr always;
${deployedProxySettings().map((directive) => `      ${directive};`).join('\n')}
    }
  }
}
`;
  const configFile = join(folder, 'nginx.conf');
  writeFileSync(configFile, config);
  try {
    execFileSync(nginx, ['-t', '-p', folder, '-c', configFile, '-e', 'stderr'], { stdio: 'pipe' });
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`nginx rejects the generated config:\n${String((err as { stderr?: Buffer }).stderr ?? err)}\n${config}`, { cause: err });
  }
  const started = await startProcess({
    command: nginx,
    args: ['-p', folder, '-c', configFile, '-e', 'stderr'],
    env: process.env,
    ready: /start worker process/,
    readyTimeoutMs: 20_000,
    // A group of its own: its workers go with the master, also when the test process dies.
    detached: true,
  }).catch((err: unknown) => {
    rmSync(folder, { recursive: true, force: true });
    throw err;
  });
  // What the log said when the folder went: the cluster's logs are written after nginx stops.
  let lastLog = '';
  const readLog = () => (existsSync(accessLog) ? (lastLog = readFileSync(accessLog, 'utf8')) : lastLog);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: started.child.pid!,
    accessLog: readLog,
    async stop() {
      try {
        // SIGQUIT would wait for open streams; SIGTERM is nginx's fast shutdown.
        await killProcess(started.child, 'SIGTERM');
      } finally {
        readLog();
        rmSync(folder, { recursive: true, force: true });
      }
    },
  };
}
