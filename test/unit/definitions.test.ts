import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentCreationWorkflow } from '../../src/app/content-creation.ts';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Registry } from '../../src/registry/registry.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { Team } from '../../src/definitions/team.ts';
import type { StepPlan } from '../../src/contracts/plan.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2', apiKey: 'sk-secret' });

describe('definitions', () => {
  it('compile to a JSON plan without secrets', () => {
    const plan = contentCreationWorkflow.toPlan();
    assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
    assert.equal(plan.id, 'content-creation-workflow');
    const team = (plan.steps[0] as StepPlan).executor;
    assert.equal(team.kind, 'team');
    if (team.kind !== 'team') return;
    assert.deepEqual(team.team.members.map((m) => m.id), ['hackernews-agent', 'finance-agent']);
    assert.equal(team.team.model.id, 'gpt-5.2'); // the first member's model leads by default
    const agent = new Agent({ name: 'Secret Agent', model });
    assert.ok(!JSON.stringify(new Workflow({ name: 'W', steps: [new Step({ name: 'S', agent })] }).toPlan()).includes('sk-secret'));
  });

  it('resolve tools and model keys by name on the worker', () => {
    const registry = new Registry([contentCreationWorkflow]);
    assert.ok(registry.tool('get_top_hackernews_stories'));
    assert.ok(registry.tool('get_current_stock_price'));
    const agent = new Agent({ name: 'Secret Agent', model });
    const workflow = new Workflow({ name: 'W', steps: [new Step({ name: 'S', agent })] });
    const step = (workflow.toPlan().steps[0] as StepPlan).executor;
    assert.equal(step.kind, 'agent');
    if (step.kind === 'agent') assert.equal(new Registry([workflow]).model(step.agent.model.ref)?.apiKey, 'sk-secret');
  });

  it('reject bad definitions with clear errors', () => {
    assert.throws(() => new Agent({ name: 'A' } as never), /Agent A needs a model/);
    assert.throws(() => new Team({ name: 'T', members: [] }), /at least one member/);
    const a = new Agent({ name: 'A', model });
    assert.throws(() => new Team({ name: 'T', members: [a, new Agent({ name: 'a', model })] }), /two members with the id a/);
    assert.throws(() => new Team({ name: 'T', members: [a], mode: 'vote' as never }), /mode must be one of/);
    assert.throws(() => new Step({ name: 'S' }), /exactly one of agent, team, executor or workflow/);
    assert.throws(() => new Step({ name: 'S', agent: a, executor: () => '' }), /exactly one/);
    assert.throws(() => new Workflow({ name: 'W', steps: [] }), /at least one step/);
    assert.throws(() => new Agent({ name: 'A', model, maxTurns: 0 }), /positive integer/);
    assert.throws(() => new Agent({ name: '!!!', model }), /Cannot derive an id/);
  });
});
