import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { errorMessage, errorType } from '../../src/workflows/error-message.ts';

describe('errorType', () => {
  it("names a failure as Agno's error_type: the innermost application failure's type, snake_cased", () => {
    const cause = ApplicationFailure.nonRetryable('The content planner refuses this topic.', 'ModelProviderError');
    const wrapped = new ActivityFailure('activity failed', 'callModel', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
    assert.equal(errorType(wrapped), 'model_provider_error');
    assert.equal(errorMessage(wrapped), 'The content planner refuses this topic.');
  });

  it('falls back to the error class, or Error for anything thrown', () => {
    assert.equal(errorType(new TypeError('no')), 'type_error');
    assert.equal(errorType('a string'), 'error');
  });
});
