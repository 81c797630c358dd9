const suggestions = ['What is 12*(3+4)?', 'Fetch data about Tokyo', 'What can you do?'];

/** A new conversation: what to try first. */
export function EmptyState({ onPick }: { onPick: (text: string) => void }) {
  return (
    <div class="empty-state">
      <h2>What can I help with?</h2>
      <div class="suggestions" role="group" aria-label="Suggestions">
        {suggestions.map((text) => (
          <button type="button" class="chip" key={text} onClick={() => onPick(text)}>
            {text}
          </button>
        ))}
      </div>
    </div>
  );
}
