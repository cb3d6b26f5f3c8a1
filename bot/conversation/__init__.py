"""Support for the chat itself: intents and topic labels, tone, follow-ups and the public endpoint's input guard."""
