/** Words that ask for data; one of them makes a message a fetch_data request. */
const dataRequest = /\b(data|fetch|look\s*up|lookup|records?|weather|population|dataset)\b/i;

/** Words around the subject of a data request that are not the subject itself. */
const fillerWords = new Set(
  (
    'a an the about for in on of at from to with regarding some any all me my us our your i you we it ' +
    'please can could would will do does is are was be what whats what\'s which tell show give get find ' +
    'fetch look up lookup data dataset record records weather population info information details ' +
    'want need like know let see there here this that current latest'
  ).split(' '),
);

/** Parts of a message joined by "and", commas or sentence ends are separate requests. */
const clauseBreak = /\s*(?:[,;.!?]+\s+|[,;!?]+|\band\b|\bthen\b|\balso\b)\s*/i;

export function isDataRequest(text: string): boolean {
  return dataRequest.test(text);
}

/**
 * The subject of a data request ("look up the weather in Paris" gives "Paris"): the words of
 * the clause that asks for data, minus the asking words and anything that is arithmetic.
 */
export function extractDataQuery(text: string): string {
  const clause = text.split(clauseBreak).find((part) => dataRequest.test(part)) ?? text;
  return clause
    .replace(/look\s+up/gi, ' ')
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => /^[\p{L}\p{N}'-]+$/u.test(word) && !fillerWords.has(word.toLowerCase()))
    .join(' ');
}
