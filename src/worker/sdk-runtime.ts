import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/worker';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/**
 * Sets up the Temporal SDK's runtime for our processes: log level LOG_LEVEL (default WARN; at
 * INFO it reports every worker state change, which drowns our own startup lines), and no signal
 * handlers of its own, since our processes stop their parts themselves, in order. Must run before
 * the first connection; later it has no effect.
 */
export function installSdkRuntime(level = process.env.LOG_LEVEL?.toUpperCase() ?? 'WARN'): void {
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${level}.`);
  try {
    Runtime.install({ logger: new DefaultLogger(level as LogLevel), shutdownSignals: [] });
  } catch {
    // A runtime exists already (an embedding application installed its own): keep it.
  }
}
