/**
 * Runs whose bytes go to the local blob store in a folder of the test's own: sets `BLOB_STORE`
 * and `DATA_DIR` for the engines and workers the test starts next, and `restore()` puts the
 * environment back and deletes the folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalDataDir {
  dir: string;
  restore(): Promise<void>;
}

export async function useLocalDataDir(prefix: string): Promise<LocalDataDir> {
  const saved = { BLOB_STORE: process.env.BLOB_STORE, DATA_DIR: process.env.DATA_DIR };
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  Object.assign(process.env, { BLOB_STORE: 'local', DATA_DIR: dir });
  return {
    dir,
    async restore() {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
