"""The conversation with a reporter or a child: the engine, the flows and their prompts, danger
words, abuse limits and submitting a case. Imports `handlers.follow_up`, `handlers.escalation`,
`handlers.rules` and the shared top modules; nothing below it imports it except statistics (categories)."""
