import { useEffect, useState } from 'preact/hooks';
import type { ChatState } from '../state/chat-state.js';
import type { ChatStore } from '../state/chat-store.js';

export function useChatState(store: ChatStore): ChatState {
  const [state, setState] = useState(store.state);
  useEffect(() => {
    setState(store.state);
    return store.subscribe(setState);
  }, [store]);
  return state;
}
