// The system prompt Anthropic adds when tools are sent, billed as input, by tool_choice, on
// every current model (docs.anthropic.com, "Tool use pricing"). Constants only, so that the
// local server's billing can read them without loading the tool's wire shape.
export const TOOL_USE_PROMPT = { auto: 346, forced: 313 } as const;

/** What a reservation counts for it: the larger figure, whatever the choice. */
export const TOOL_USE_SYSTEM_PROMPT_TOKENS = Math.max(TOOL_USE_PROMPT.auto, TOOL_USE_PROMPT.forced);
