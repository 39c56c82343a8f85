/**
 * Your durable agent app: `npm start` brings up a Temporal dev server (runs kept in .data/), a
 * worker that runs your agent, and the HTTP API on http://localhost:7777 (docs at /docs).
 */
import { Agent, AgentOS, defineTool, OpenAIResponses, serveUntilSignal, Step, Workflow } from 'durable-agents';

// A tool: a typed function plus the JSON Schema the model sees, which also validates the model's arguments.
const getWeather = defineTool<{ city: string }>({
  name: 'get_weather',
  description: 'The current weather in a city.',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name, e.g. Paris.' } },
    required: ['city'],
    additionalProperties: false,
  },
  timeoutMs: 10_000,
  async execute({ city }) {
    return { city, conditions: 'sunny', temperature_c: 21 }; // call a real weather service here
  },
});

const assistant = new Agent({
  name: 'Weather Assistant',
  model: new OpenAIResponses({ id: 'gpt-5.2' }),
  tools: [getWeather],
  instructions: 'Answer questions about the weather. Use get_weather. Be brief.',
});

const weatherWorkflow = new Workflow({
  name: 'Weather Workflow',
  description: 'Answers weather questions with a tool',
  steps: [new Step({ name: 'Answer', agent: assistant })],
});

await serveUntilSignal(new AgentOS({ workflows: [weatherWorkflow] }));
process.exit(0);
