"""The rasa-sdk action server: thin classes that read slots, call one `bot` function and pick a response."""
