import { transcriptClose, transcriptOpen } from './summarize-transcript.js';

/**
 * Opens the system prompt of every summary request. The offline model looks for this exact
 * sentence to know it is asked for a summary rather than a chat answer.
 */
export const summaryInstruction = 'You write the summary of a finished Parley chat session.';

export const summarySystemPrompt =
  `${summaryInstruction} In 2 to 4 plain sentences, state what the user asked, what the tools found ` +
  'and how the conversation ended. Use only facts from the transcript; no lists, headings or preamble.';

export function buildSummaryRequest(transcript: string): string {
  return `Summarize this conversation.\n\n${transcriptOpen}\n${transcript}\n${transcriptClose}`;
}
