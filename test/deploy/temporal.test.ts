/**
 * docker-compose.yml and the cluster suite (test/cluster/) run the same Temporal deployment:
 * deploy/temporal/ holds it (release, configuration, dynamic config, the schema and namespace
 * scripts). Compose cannot run here (no Docker engine), so it is checked against that folder, and
 * the namespace script against the search attributes the code sets.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { SearchAttributeType } from '@temporalio/common';
import { parse } from 'yaml';
import { RUN_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  volumes?: string[];
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> }).services;
const VERSION = read('deploy/temporal/VERSION').trim();

/** The file of the repository a path inside `service`'s container is, through its bind mounts; undefined when none holds it. */
function hostPath(service: Service, containerPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':') as [string, string];
    if (!source.startsWith('./')) continue;
    const inside = posix.relative(target, containerPath);
    if (!inside.startsWith('..') && !posix.isAbsolute(inside)) return relative(ROOT, join(ROOT, source, inside)) || '.';
  }
  return undefined;
}

describe('the Temporal deployment (deploy/temporal/) in docker-compose.yml', () => {
  it('runs the release the cluster suite builds, with no auto-setup image', () => {
    assert.match(VERSION, /^\d+\.\d+\.\d+$/);
    assert.equal(services.temporal!.image, `temporalio/server:${VERSION}`);
    for (const name of ['temporal-schema', 'temporal-namespace']) assert.equal(services[name]!.image, `temporalio/admin-tools:${VERSION}`, name);
    for (const [name, service] of Object.entries(services)) assert.doesNotMatch(service.image ?? '', /auto-setup/, `${name} uses no auto-setup image`);
  });

  it('runs the Web UI release the cluster suite builds, with the settings it reads', () => {
    const uiVersion = read('deploy/temporal/UI_VERSION').trim();
    assert.equal(services['temporal-ui']!.image, `temporalio/ui:${uiVersion}`);
    // The suite's settings file reads the image's own variables: what compose sets, it reads.
    const settings = read('deploy/temporal/ui/docker.yaml');
    for (const name of Object.keys(services['temporal-ui']!.environment ?? {})) assert.ok(settings.includes(`env "${name}"`), `deploy/temporal/ui/docker.yaml reads ${name}`);
  });

  it("gives the server deploy/temporal's configuration and dynamic config", () => {
    const temporal = services.temporal!;
    const env = temporal.environment!;
    assert.equal(hostPath(temporal, env.TEMPORAL_SERVER_CONFIG_FILE_PATH!), 'deploy/temporal/config.yaml');
    assert.equal(hostPath(temporal, env.DYNAMIC_CONFIG_FILE_PATH!), 'deploy/temporal/dynamicconfig.yaml');
    assert.ok(read('deploy/temporal/config.yaml').startsWith('# enable-template'), 'the configuration is rendered from the environment');
    // Every connection setting the server reads from its environment is given.
    const names = new Set([...read('deploy/temporal/config.yaml').matchAll(/env "([A-Z_]+)"/g)].map((match) => match[1]!));
    for (const name of ['POSTGRES_SEEDS', 'DB_PORT', 'POSTGRES_USER', 'POSTGRES_PWD', 'BIND_ON_IP']) {
      assert.ok(names.has(name), `config.yaml reads ${name}`);
      assert.ok(env[name], `the temporal service sets ${name}`);
    }
  });

  it('sets up the schemas before the server, and registers the namespace before workers and APIs, with deploy/temporal/ scripts', () => {
    assert.deepEqual(services.temporal!.depends_on!['temporal-schema'], { condition: 'service_completed_successfully' });
    assert.deepEqual(services['temporal-namespace']!.depends_on!.temporal, { condition: 'service_healthy' });
    for (const [name, script] of [['temporal-schema', 'setup-schema.sh'], ['temporal-namespace', 'register-namespace.sh']] as const) {
      const service = services[name]!;
      const [shell, path] = service.entrypoint!;
      assert.equal(shell, 'sh');
      assert.equal(hostPath(service, path!), `deploy/temporal/${script}`, name);
      assert.ok(existsSync(join(ROOT, 'deploy/temporal', script)));
    }
    assert.deepEqual(services['temporal-schema']!.environment, Object.fromEntries(Object.entries(services.temporal!.environment!).filter(([name]) => name in services['temporal-schema']!.environment!)), 'the schema and the server use one database');
    for (const name of ['worker', 'api']) assert.deepEqual(services[name]!.depends_on!['temporal-namespace'], { condition: 'service_completed_successfully' }, name);
    assert.equal(services['temporal-namespace']!.environment!.TEMPORAL_NAMESPACE, services.worker!.environment!.TEMPORAL_NAMESPACE);
  });

  it("registers exactly the search attributes runs set, with the code's types", () => {
    const script = read('deploy/temporal/register-namespace.sh');
    const listed = /^SEARCH_ATTRIBUTES="([^"]*)"$/m.exec(script)?.[1]?.split(/\s+/);
    assert.deepEqual(listed, RUN_SEARCH_ATTRIBUTES.map((key) => key.name));
    for (const key of RUN_SEARCH_ATTRIBUTES) assert.equal(key.type, SearchAttributeType.KEYWORD, `${key.name}: the script registers Keyword only`);
    // The CLI pairs each --name with a --type by position: one type for all would register one name.
    assert.match(script, /set -- "\$@" --name "\$name" --type Keyword/);
  });
});
