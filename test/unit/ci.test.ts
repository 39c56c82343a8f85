/**
 * The suite's one rule for "in CI" (test/support/ci.ts), and what a test whose tool is missing
 * does by it: fails in CI, skips loudly elsewhere.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCi, skipWithoutTool } from '../support/ci.ts';

describe('isCi', () => {
  it('is on for any value but false and 0, trimmed and case-insensitively', () => {
    for (const value of ['true', 'TRUE', ' True ', '1', 'yes', 'github', 'on']) assert.equal(isCi({ CI: value }), true, JSON.stringify(value));
  });

  it('is off when CI is unset, empty, false or 0', () => {
    assert.equal(isCi({}), false, 'unset');
    for (const value of ['', '   ', 'false', 'FALSE', ' False\n', '0', ' 0 ']) assert.equal(isCi({ CI: value }), false, JSON.stringify(value));
  });
});

describe('skipWithoutTool', () => {
  it('lets a test whose tool is there run, in CI or not', () => {
    assert.equal(skipWithoutTool('a test', undefined, {}), false);
    assert.equal(skipWithoutTool('a test', undefined, { CI: 'true' }), false);
  });

  it('outside CI, skips a test whose tool is missing, saying so loudly', (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    for (const env of [{}, { CI: 'false' }, { CI: '0' }]) {
      assert.equal(skipWithoutTool('a test', 'no such tool', env), 'a test: no such tool', JSON.stringify(env));
    }
    assert.equal(warn.mock.callCount(), 3);
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /SKIPPED, NOT TESTED: a test: no such tool/);
  });

  it('in CI, fails a test whose tool is missing, naming the test and what is missing', () => {
    for (const CI of ['true', '1', 'yes']) {
      assert.throws(() => skipWithoutTool('a test', 'no such tool', { CI }), new RegExp(`^Error: a test cannot run in CI \\(CI=${CI}\\).*: no such tool$`));
    }
  });
});
