import { transcriptClose, transcriptOpen } from './summarize-transcript.js';

/**
 * Opens the system prompt of every title request. The offline model looks for this exact
 * sentence to know it is asked for a title rather than a chat answer.
 */
export const titleInstruction = 'You name a Parley chat session.';

export const titleSystemPrompt =
  `${titleInstruction} Answer with a title of 2 to 6 words, under 60 characters, in the language ` +
  'of the conversation, that says what the user wanted. Only the title: no quotes, no label, no final period.';

export function buildTitleRequest(transcript: string): string {
  return `Name this conversation.\n\n${transcriptOpen}\n${transcript}\n${transcriptClose}`;
}
