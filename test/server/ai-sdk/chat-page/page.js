// A page with the AI SDK's useChat (@ai-sdk/react), bundled by the test that serves it (esbuild).
// ?chat=<id>&api=<url>: the chat and its endpoint; &send=1 sends the first message, else the page
// resumes the chat's run in progress, as a reloaded page does. Plain JS: the project's TypeScript
// settings have no DOM.
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport } from 'ai';
import { createElement as h, useEffect, useRef } from 'react';
import { createRoot } from 'react-dom/client';

const params = new URLSearchParams(location.search);
const sending = params.get('send') === '1';
const transport = new DefaultChatTransport({ api: params.get('api') });

function Chat() {
  const { messages, status, error, sendMessage } = useChat({ id: params.get('chat'), transport, resume: !sending });
  const sent = useRef(false);
  useEffect(() => {
    if (!sending || sent.current) return;
    sent.current = true;
    void sendMessage({ text: 'Write slowly' });
  }, [sendMessage]);
  const answers = messages.filter((message) => message.role === 'assistant');
  return h(
    'main',
    null,
    h('p', { id: 'status' }, `status: ${status}`),
    error ? h('p', { id: 'error' }, `error: ${error.message}`) : null,
    ...answers.map((message) => h('article', { key: message.id, className: 'answer' }, message.parts.filter((part) => part.type === 'text').map((part) => part.text).join(''))),
  );
}

createRoot(document.getElementById('root')).render(h(Chat));
