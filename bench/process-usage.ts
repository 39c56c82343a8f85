/**
 * CPU and memory of named process trees over a measured phase, from /proc: CPU seconds (utime +
 * stime of each member of the tree) between `measureProcesses` and `stop`, and the peak of the
 * tree's summed VmRSS and PSS, sampled every `intervalMs`. Trees are read again at each sample:
 * PostgreSQL forks a backend per connection, and a member that exits between samples keeps the
 * CPU it had at the last one.
 */
import { processMemoryMb, processPssMb, processTable, processTree } from './stats.ts';

export interface MeasuredProcess {
  name: string;
  /** The tree's root now (it may change, e.g. a restarted server); undefined while there is none. */
  pid: () => number | undefined;
}

export interface ProcessUsage {
  name: string;
  /** The most processes the tree had at a sample. */
  processes: number;
  cpuSeconds: number;
  /** Peak of the tree's summed VmRSS (a page shared by several members counts once per member). */
  peakRssMb: number;
  /** Peak of the tree's summed PSS (shared pages divided among their sharers). */
  peakPssMb: number;
}

export interface ProcessMeter {
  /** Takes a last sample and stops sampling. */
  stop(): ProcessUsage[];
}

export function measureProcesses(parts: readonly MeasuredProcess[], intervalMs = 500): ProcessMeter {
  const usage = parts.map(() => ({ processes: 0, peakRssMb: 0, peakPssMb: 0, startCpu: new Map<number, number>(), lastCpu: new Map<number, number>() }));
  const sample = (first: boolean) => {
    const table = processTable();
    parts.forEach((part, i) => {
      const root = part.pid();
      if (root === undefined || !table.has(root)) return;
      const tree = processTree(root, table);
      const u = usage[i]!;
      let rss = 0;
      let pss = 0;
      for (const pid of tree) {
        const cpu = table.get(pid)!.cpuSeconds;
        // A member born during the phase spent all its CPU in it.
        if (first) u.startCpu.set(pid, cpu);
        else if (!u.lastCpu.has(pid) && !u.startCpu.has(pid)) u.startCpu.set(pid, 0);
        u.lastCpu.set(pid, cpu);
        rss += processMemoryMb(pid, 'VmRSS') || 0;
        pss += processPssMb(pid) || 0;
      }
      u.processes = Math.max(u.processes, tree.length);
      u.peakRssMb = Math.max(u.peakRssMb, rss);
      u.peakPssMb = Math.max(u.peakPssMb, pss);
    });
  };
  sample(true);
  const timer = setInterval(() => sample(false), intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample(false);
      return parts.map((part, i) => {
        const u = usage[i]!;
        let cpuSeconds = 0;
        for (const [pid, cpu] of u.lastCpu) cpuSeconds += cpu - (u.startCpu.get(pid) ?? 0);
        return { name: part.name, processes: u.processes, cpuSeconds, peakRssMb: u.peakRssMb, peakPssMb: u.peakPssMb };
      });
    },
  };
}
