/** What a user message asks of the offline model, besides arithmetic and data (see plan-reply.ts). */
export type IntentName =
  | 'recall-previous'
  | 'recall-topics'
  | 'recall-name'
  | 'identity'
  | 'help'
  | 'tell-name'
  | 'greeting'
  | 'thanks';

export interface Intent {
  name: IntentName;
  patterns: readonly RegExp[];
  /** Answered even when the message also looks like arithmetic or a data request. */
  outranksTools: boolean;
}

/** Checked in order; the first intent with a matching pattern wins. */
export const intents: readonly Intent[] = [
  {
    name: 'recall-previous',
    patterns: [
      /\bwhat (did|have) i (just )?(ask|asked|say|said|write|wrote|type|typed)\b/i,
      /\b(previous|last|earlier|prior) (question|message)\b/i,
    ],
    outranksTools: true,
  },
  {
    name: 'recall-topics',
    patterns: [
      /\bwhat (did|have) we (been )?(talk|talked|talking|chat|chatted|discuss|discussed|cover|covered)\b/i,
      /\bwhat (were|are) we talking about\b/i,
    ],
    outranksTools: true,
  },
  {
    name: 'recall-name',
    patterns: [/\bwhat('s| is) my name\b/i, /\bdo you (know|remember) my name\b/i, /\bwho am i\b/i],
    outranksTools: true,
  },
  {
    name: 'identity',
    patterns: [
      /\bwho are you\b/i,
      /\bwhat are you\b/i,
      /\b(which|what) (ai |language )?model\b/i,
      /\bare you (an? )?(ai|bot|robot|real|offline|llm|model|human)\b/i,
    ],
    outranksTools: true,
  },
  {
    name: 'help',
    patterns: [/\bwhat can you do\b/i, /^\s*help\b/i, /\bhow do i (use|configure|set up|connect)\b/i],
    outranksTools: true,
  },
  { name: 'tell-name', patterns: [/\bmy name is\s+\p{L}/iu, /\bcall me\s+\p{L}/iu], outranksTools: false },
  {
    name: 'greeting',
    patterns: [/^\s*(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening))\b/i],
    outranksTools: false,
  },
  { name: 'thanks', patterns: [/\b(thanks|thank you|thx|cheers)\b/i], outranksTools: false },
];

export function detectIntent(text: string): Intent | undefined {
  return intents.find((intent) => intent.patterns.some((pattern) => pattern.test(text)));
}

/** The name a user gave ("my name is Ada", "call me Ada"), from their latest mention. */
export function findUserName(userMessages: readonly string[]): string | undefined {
  for (const message of [...userMessages].reverse()) {
    const match = /\b(?:my name is|call me)\s+(\p{L}[\p{L}'-]*)/iu.exec(message);
    if (match) return match[1];
  }
  return undefined;
}
