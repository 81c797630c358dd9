import { describe, expect, it } from 'vitest';
import { cleanModelTitle, extractiveTitle, maxTitleLength, untitledConversation } from '../../src/llm/title-text.js';

describe('the extractive title', () => {
  it('is the first sentence of the first message when that says enough', () => {
    expect(extractiveTitle('What is the weather in Paris today? Also tell me about Rome.')).toBe('What is the weather in Paris today?');
  });

  it('keeps the whole first line when its first sentence is too short to name anything', () => {
    expect(extractiveTitle('Hi. I need the population of Lagos')).toBe('Hi. I need the population of Lagos');
  });

  it('skips markdown that only formats, and lines with no words', () => {
    expect(extractiveTitle('```\n\n## **Compare** the `sqrt` of 2 and 3\nmore text')).toBe('Compare the sqrt of 2 and 3');
    expect(extractiveTitle('> - 1. *list* item')).toBe('List item');
  });

  it('stays under 60 characters, cut at a word with an ellipsis', () => {
    const title = extractiveTitle('please explain in great detail how the calculator tool evaluates nested parentheses and powers');
    expect(title.length).toBeLessThanOrEqual(maxTitleLength);
    expect(title).toBe('Please explain in great detail how the calculator tool…');
  });

  it('keeps emoji and other scripts whole', () => {
    expect(extractiveTitle('東京の天気は？ 🌧️')).toBe('東京の天気は？ 🌧️');
    expect(extractiveTitle('👋🏽'.repeat(40)).length).toBeLessThanOrEqual(maxTitleLength);
  });

  it('names a message with no words a new conversation', () => {
    expect(extractiveTitle('   \n\t ')).toBe(untitledConversation);
    expect(extractiveTitle('***')).toBe(untitledConversation);
  });

  it('never carries control characters or broken text', () => {
    expect(extractiveTitle('tab\there\u0000and a bell\u0007 \ud800 lone')).toBe('Tab here and a bell \uFFFD lone');
  });
});

describe("the model's title, cleaned", () => {
  it('drops the quotes, label, markdown and final period models add', () => {
    expect(cleanModelTitle('Title: "Weather in Paris."')).toBe('Weather in Paris');
    expect(cleanModelTitle('**Population of Lagos**')).toBe('Population of Lagos');
    expect(cleanModelTitle('# “Square roots compared”\n\nThis title captures...')).toBe('Square roots compared');
  });

  it('is cut under 60 characters', () => {
    expect(cleanModelTitle('A very long title that goes on and on about nothing in particular at all')).toBe(
      'A very long title that goes on and on about nothing in…',
    );
  });

  it('is null when nothing usable is left', () => {
    expect(cleanModelTitle('')).toBeNull();
    expect(cleanModelTitle('  "" \n ** ')).toBeNull();
  });
});
