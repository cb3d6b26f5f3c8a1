"""The rasa-sdk action server: thin classes that read slots, call one `bot` function and pick a response."""
from actions.startup import attach_to_action_server

# In `rasa run actions` this loads the spool at start-up and on a timer; anywhere else it does nothing.
attach_to_action_server()
