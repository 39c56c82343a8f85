/** The workflow and system routes, in the order the OpenAPI document lists them. */
import type { ServerDeps } from '../http/context.ts';
import type { Route } from '../http/route.ts';
import { config } from './config.ts';
import { docsPage } from './docs-page.ts';
import { getWorkflow } from './get-workflow.ts';
import { health } from './health.ts';
import { listWorkflows } from './list-workflows.ts';
import { openApiJson } from './openapi-json.ts';
import type { DocumentDeps } from './openapi-json.ts';
import { readiness } from './readiness.ts';

export const SYSTEM_ROUTES: Route<ServerDeps & DocumentDeps>[] = [health, readiness, openApiJson, docsPage, config];
export const WORKFLOW_ROUTES = [listWorkflows, getWorkflow];
