import { cutAtWord } from '../../text/cut-at-word.js';
import { findUserName, type IntentName } from './detect-intent.js';
import { capabilities, configureHint, offlineIntro } from './offline-texts.js';
import type { Conversation } from './read-prompt.js';

type Composer = (conversation: Conversation) => string;

const maxRecalled = 10;

/** What the offline model says for each intent; one entry per intent, no branching elsewhere. */
export const composers: Record<IntentName, Composer> = {
  'recall-previous': (conversation) => {
    const previous = earlierMessages(conversation).at(-1);
    return previous === undefined
      ? 'This is the first message of our conversation, so there is nothing earlier to recall yet.'
      : `Your previous message was: "${quote(previous)}"`;
  },
  'recall-topics': (conversation) => {
    const earlier = earlierMessages(conversation);
    if (earlier.length === 0) return 'We have only just started: this is your first message.';
    const shown = earlier.slice(-maxRecalled);
    const skipped = earlier.length - shown.length;
    return [
      skipped > 0 ? `You have sent ${earlier.length} messages before this one; the last ${shown.length} were:` : 'So far you said:',
      ...shown.map((message) => `- "${quote(message)}"`),
    ].join('\n');
  },
  'recall-name': (conversation) => {
    const name = findUserName(conversation.userMessages);
    return name === undefined ? 'You have not told me your name yet. Tell me with "my name is ...".' : `Your name is ${name}.`;
  },
  identity: () => `${offlineIntro} ${capabilities} ${configureHint}`,
  help: () => `${capabilities} ${configureHint}`,
  'tell-name': (conversation) => {
    const name = findUserName([conversation.lastUserText]);
    return `Nice to meet you, ${name ?? 'there'}! I will remember your name for the rest of this conversation.`;
  },
  greeting: () => 'Hello! How can I help?',
  thanks: () => "You're welcome!",
};

/** For everything the offline model cannot really answer. */
export function composeFallback(conversation: Conversation): string {
  const cannot = "I can't answer that properly without a real model.";
  return isFirstTurn(conversation)
    ? `${offlineIntro} ${cannot} ${capabilities} ${configureHint}`
    : `${cannot} ${capabilities} ${configureHint}`;
}

export function isFirstTurn(conversation: Conversation): boolean {
  return conversation.userMessages.length <= 1;
}

function earlierMessages(conversation: Conversation): string[] {
  return conversation.userMessages.slice(0, -1);
}

function quote(message: string): string {
  return cutAtWord(message.replace(/\s+/g, ' ').trim(), 200);
}
