import type { LanguageFn } from 'highlight.js';

type LanguageModule = Promise<{ default: LanguageFn }>;

/**
 * The languages the page highlights (highlight.js's common set and Dockerfile), each its own
 * small chunk loaded when an answer first shows it.
 */
const loaders: Record<string, () => LanguageModule> = {
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  diff: () => import('highlight.js/lib/languages/diff'),
  dockerfile: () => import('highlight.js/lib/languages/dockerfile'),
  go: () => import('highlight.js/lib/languages/go'),
  graphql: () => import('highlight.js/lib/languages/graphql'),
  ini: () => import('highlight.js/lib/languages/ini'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  less: () => import('highlight.js/lib/languages/less'),
  lua: () => import('highlight.js/lib/languages/lua'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  objectivec: () => import('highlight.js/lib/languages/objectivec'),
  perl: () => import('highlight.js/lib/languages/perl'),
  php: () => import('highlight.js/lib/languages/php'),
  plaintext: () => import('highlight.js/lib/languages/plaintext'),
  python: () => import('highlight.js/lib/languages/python'),
  r: () => import('highlight.js/lib/languages/r'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  scss: () => import('highlight.js/lib/languages/scss'),
  shell: () => import('highlight.js/lib/languages/shell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
};

/** Other names answers use for the languages above (from each language's own aliases). */
const aliases: Record<string, string> = {
  sh: 'bash', zsh: 'bash', h: 'c', cc: 'cpp', 'c++': 'cpp', hpp: 'cpp', cs: 'csharp', 'c#': 'csharp',
  patch: 'diff', docker: 'dockerfile', golang: 'go', gql: 'graphql', toml: 'ini', js: 'javascript',
  jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript', jsonc: 'json', json5: 'json',
  kt: 'kotlin', mk: 'makefile', make: 'makefile', md: 'markdown', objc: 'objectivec', pl: 'perl',
  text: 'plaintext', txt: 'plaintext', py: 'python', python3: 'python', rb: 'ruby', rs: 'rust',
  console: 'shell', shellsession: 'shell', ts: 'typescript', tsx: 'typescript', mts: 'typescript',
  html: 'xml', xhtml: 'xml', svg: 'xml', yml: 'yaml', postgresql: 'sql', postgres: 'sql',
};

/** The highlight.js language a fence's language name stands for, when the page has it. */
export function highlightLanguage(name: string): string | undefined {
  const language = aliases[name] ?? name;
  return Object.hasOwn(loaders, language) ? language : undefined;
}

export function loadLanguage(language: string): LanguageModule {
  const loader = loaders[language];
  if (!loader) throw new Error(`no highlighter for ${language}`);
  return loader();
}
