import { AbstractChat, type ChatState, type ChatStatus, type ChatTransport, type UIMessage } from 'ai';

/** The state a UI framework keeps for `Chat` (React's useChat keeps it in hooks), as plain fields. */
class PlainChatState implements ChatState<UIMessage> {
  status: ChatStatus = 'ready';
  error: Error | undefined = undefined;
  messages: UIMessage[] = [];
  pushMessage = (message: UIMessage) => {
    this.messages = [...this.messages, message];
  };
  popMessage = () => {
    this.messages = this.messages.slice(0, -1);
  };
  replaceMessage = (index: number, message: UIMessage) => {
    this.messages = this.messages.map((existing, at) => (at === index ? message : existing));
  };
  snapshot = <T>(thing: T): T => structuredClone(thing);
}

/** The AI SDK's own Chat (what useChat wraps), running in Node. */
export class NodeChat extends AbstractChat<UIMessage> {
  constructor(id: string, transport: ChatTransport<UIMessage>) {
    super({ id, transport, state: new PlainChatState() });
  }
}
