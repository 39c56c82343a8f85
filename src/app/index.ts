/** The workflows this project serves out of the box. */
import { contentCreationWorkflow } from './content-creation.ts';

export const workflows = [contentCreationWorkflow];
