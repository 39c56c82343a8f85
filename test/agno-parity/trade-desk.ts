/**
 * The agent whose tool asks a person first, on our side: agno_os.py's `trade_desk` with its
 * `@tool(requires_confirmation=True) place_order`, its `trading_team`, and the fake model's script
 * for them (the leader hands the order to the desk; the desk orders, then repeats what the tool
 * said: the order, or the rejection; the leader repeats the desk).
 */
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Team } from '../../src/definitions/team.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';

const placeOrder = defineTool<{ symbol: string; quantity: number }>({
  name: 'place_order',
  description: 'Places an order for a stock.',
  parameters: {
    type: 'object',
    properties: { symbol: { type: 'string', description: 'The stock’s symbol.' }, quantity: { type: 'integer', description: 'How many shares.' } },
    required: ['symbol', 'quantity'],
  },
  requiresConfirmation: true,
  execute: ({ symbol, quantity }) => `Ordered ${quantity} ${symbol}`,
});

export const tradeDesk = new Agent({ name: 'Trade Desk', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [placeOrder] });

/** agno_os.py's `trading_team`: its leader hands the order to the desk, whose tool asks a person. */
export const tradingTeam = new Team({ name: 'Trading Team', model: new OpenAIResponses({ id: 'gpt-5.2' }), members: [tradeDesk], instructions: 'Hand every order to the trade desk' });

/** The desk's model, and its team's leader's: undefined for requests of other agents. */
export function tradeDeskReply(req: FakeRequest): FakeReply | undefined {
  if (req.system.includes('Hand every order to the trade desk')) {
    if (req.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'trade-desk', task: 'Buy 10 NVDA' } }] };
    return { kind: 'text', text: `Team: ${req.toolResults.at(-1)!.output}` };
  }
  if (!req.toolNames.includes('place_order')) return undefined;
  if (req.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'place_order', arguments: { symbol: 'NVDA', quantity: 10 } }] };
  return { kind: 'text', text: `Desk: ${req.toolResults.at(-1)!.output}` };
}
