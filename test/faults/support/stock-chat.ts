/** A chat agent with a tool that remembers its session: what test/faults/chat-kill.test.ts talks to. */
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { YFinanceTools } from '../../../src/tools/yfinance.ts';

export const stockChat = new Agent({
  name: 'Stock Chat',
  model: new OpenAIResponses({ id: 'gpt-5.2' }),
  tools: [new YFinanceTools()],
  addHistoryToContext: true,
  numHistoryRuns: 20,
});
