/** The AI SDK's routes (`useChat`): start a chat's run, resume it after a reload. */
import { resumeChat } from './resume-chat.ts';
import { startChat } from './start-chat.ts';

export const AI_SDK_ROUTES = [startChat, resumeChat];
