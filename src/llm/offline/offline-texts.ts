/** The fixed sentences the offline model says about itself, kept in one place so tests and docs agree. */
export const offlineIntro = "I'm Parley's offline model: I run inside the server and need no network.";

export const capabilities =
  'I can do arithmetic with the calculator tool (try "what is 12*(3+4)?"), look up sample data with ' +
  'fetch_data (try "fetch data about Tokyo"), and recall what you said earlier in this conversation.';

export const configureHint =
  'To use a real model, set GEMINI_API_KEY, or OPENAI_BASE_URL (with OPENAI_API_KEY and OPENAI_MODEL) ' +
  'for OpenAI, Ollama, vLLM and other OpenAI-compatible servers.';

/** Added to first-turn answers that do not already introduce the model. */
export const firstTurnNote = `${offlineIntro} ${configureHint}`;
