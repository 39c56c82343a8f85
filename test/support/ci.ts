/**
 * Whether the suite runs in CI, and what a test does there when a tool it needs is missing.
 *
 * The rule, the one every test follows: CI is on when the `CI` environment variable holds a
 * value other than `false` or `0`, compared trimmed and case-insensitively; unset or empty is off.
 * CI services set it (`true` on GitHub Actions, GitLab, CircleCI, …; `1` on some others), and
 * `.ci/run` exports `CI=true` itself, so the suite is in CI there whatever runs it.
 */

const OFF = new Set(['', 'false', '0']);

export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && !OFF.has(value);
}

/**
 * For a test that needs a tool (a Python package, Chromium, Redis): `missing` says why it cannot
 * be used, or is undefined when it can. Returns false when the test can run; outside CI, when it
 * cannot, warns loudly and returns the reason to skip with (`{ skip }`, or `t.skip(reason)`). In
 * CI it throws instead, so the test (or its file, when called at its top) fails: a compatibility
 * check skipped there would pass unnoticed.
 */
export function skipWithoutTool(test: string, missing: string | undefined, env: NodeJS.ProcessEnv = process.env): string | false {
  if (missing === undefined) return false;
  if (isCi(env)) throw new Error(`${test} cannot run in CI (CI=${env.CI}), where a skipped check would pass unnoticed: ${missing}`);
  const banner = '!'.repeat(100);
  console.warn(`\n${banner}\n!!! SKIPPED, NOT TESTED: ${test}: ${missing}\n${banner}\n`);
  return `${test}: ${missing}`;
}
