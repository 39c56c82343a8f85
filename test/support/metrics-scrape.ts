/**
 * Reads Prometheus's text exposition as a scraper does, for tests: each series by its name and
 * labels, and each metric's declared type. Strict: a line that is not a comment, a series or
 * blank fails the parse, so a malformed exposition fails the test that reads it.
 */
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  series: Series[];
  /** `# TYPE` of each metric. */
  types: Map<string, string>;
  /** The value of the one series with this name and (at least) these labels; 0 when there is none. */
  value(name: string, labels?: Record<string, string>): number;
  /** Every series with this name and (at least) these labels. */
  find(name: string, labels?: Record<string, string>): Series[];
}

const SERIES = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

export function parseExposition(text: string): Scrape {
  const series: Series[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    const match = SERIES.exec(line);
    if (!match) throw new Error(`Not an exposition line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    const body = match[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < body.length) {
      const label = LABEL.exec(body);
      if (!label) throw new Error(`Malformed labels in ${JSON.stringify(line)}`);
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = match[3]!;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') throw new Error(`Not a number in ${JSON.stringify(line)}`);
    series.push({ name: match[1]!, labels, value });
  }
  const find = (name: string, labels: Record<string, string> = {}) =>
    series.filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value));
  return {
    series,
    types,
    find,
    value(name, labels) {
      const found = find(name, labels);
      if (found.length > 1) throw new Error(`${found.length} series of ${name} match ${JSON.stringify(labels)}: name them all.`);
      return found[0]?.value ?? 0;
    },
  };
}

/** GETs a metrics endpoint and parses it; fails on any status but 200. */
export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 200)}`);
  return parseExposition(text);
}
