/**
 * The content-creation workflow: a research team (Hacker News and finance agents) feeds a
 * content planner. Ported from Agno's background-execution example.
 */
import { Agent } from '../definitions/agent.ts';
import { OpenAIResponses } from '../definitions/models.ts';
import { Step } from '../definitions/step.ts';
import { Workflow } from '../os/workflow.ts';
import { Team } from '../definitions/team.ts';
import { HackerNewsTools } from '../tools/hackernews.ts';
import { YFinanceTools } from '../tools/yfinance.ts';

export const hackernewsAgent = new Agent({
  name: 'Hackernews Agent',
  model: new OpenAIResponses({ id: 'gpt-5.2' }),
  tools: [new HackerNewsTools()],
  role: 'Extract key insights and content from Hackernews posts',
});

export const financeAgent = new Agent({
  name: 'Finance Agent',
  model: new OpenAIResponses({ id: 'gpt-5.2' }),
  tools: [new YFinanceTools()],
  role: 'Get stock prices and financial data',
});

export const researchTeam = new Team({
  name: 'Research Team',
  members: [hackernewsAgent, financeAgent],
  instructions: 'Research tech topics and related stocks',
});

export const contentPlanner = new Agent({
  name: 'Content Planner',
  model: new OpenAIResponses({ id: 'gpt-5.2' }),
  instructions: [
    'Plan a content schedule over 4 weeks for the provided topic and research content',
    'Ensure that I have posts for 3 posts per week',
  ],
});

export const contentCreationWorkflow = new Workflow({
  name: 'Content Creation Workflow',
  description: 'Automated content creation from blog posts to social media',
  steps: [
    new Step({ name: 'Research Step', team: researchTeam }),
    new Step({ name: 'Content Planning Step', agent: contentPlanner }),
  ],
});
