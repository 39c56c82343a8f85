import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/worker';

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface SdkRuntimeOptions {
  /**
   * Where the SDK serves its own worker metrics (`temporal_*`) for Prometheus, `host:port`
   * (`/metrics` there); none: not exported (TEMPORAL_SDK_METRICS_PORT).
   */
  metricsAddress?: string;
}

/**
 * Sets up the Temporal SDK's runtime for our processes: log level LOG_LEVEL (default WARN; at
 * INFO it reports every worker state change, which drowns our own startup lines), no signal
 * handlers of its own, since our processes stop their parts themselves, in order, and the SDK's
 * Prometheus exporter when asked. Must run before the first connection; later it has no effect,
 * and it says so: false when a runtime was there already (its settings stay).
 */
export function installSdkRuntime(level = process.env.LOG_LEVEL?.toUpperCase() ?? 'WARN', options: SdkRuntimeOptions = {}): boolean {
  if (!LEVELS.includes(level)) throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got ${level}.`);
  try {
    Runtime.install({
      logger: new DefaultLogger(level as LogLevel),
      shutdownSignals: [],
      ...(options.metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: options.metricsAddress } } } } : {}),
    });
    return true;
  } catch (err) {
    // A runtime exists already (an embedding application installed its own): keep it. Anything
    // else (the metrics address taken, say) is a setup error to report.
    if (err instanceof IllegalStateError) return false;
    throw err;
  }
}
