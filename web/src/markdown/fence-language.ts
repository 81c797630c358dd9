const languageName = /^[a-z0-9][a-z0-9+#._-]{0,31}$/i;

/**
 * The language a fenced code block names (its info string's first word, lower case), or
 * undefined when it names none or something that is not a plain language name.
 */
export function fenceLanguage(info: string | undefined): string | undefined {
  const word = info?.trim().split(/\s+/, 1)[0] ?? '';
  return languageName.test(word) ? word.toLowerCase() : undefined;
}
