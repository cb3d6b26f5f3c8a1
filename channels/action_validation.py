"""Rasa checks each action server reply against its schema; this builds that check once, not per call.

Why: Rasa 3.6 calls `jsonschema.validate` for every custom action's reply, and that first re-checks the
large, constant events schema against the JSON Schema meta-schema: about 40 ms of CPU per action call on
2 cores, more than the whole NLU parse (bench/load.md: p95 at 20 conversations 175 ms -> 86 ms). Same
schema, same error message. Installed when Rasa loads our channel (channels/local_offer_rest.py), so every
`rasa run` of this project has it; pinned to Rasa 3.6 (tests/hostile/test_action_validation.py checks
that a bad reply is still refused).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text


def install() -> None:
    """Idempotent; Rasa's own method stays reachable as `RemoteAction._rasa_validate_action_result`."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions import action as rasa_action

    @lru_cache(maxsize=1)
    def validator() -> Any:
        spec = rasa_action.RemoteAction.action_response_format_spec()
        cls = validator_for(spec)
        cls.check_schema(spec)  # once, as jsonschema.validate would on every call
        return cls(spec)

    def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
        try:
            validator().validate(result)
            return True
        except ValidationError as e:
            e.message += (
                ". Failed to validate Action server response from API, make sure your response from the "
                "Action endpoint is valid. For more information about the format visit "
                f"{rasa_action.DOCS_BASE_URL}/custom-actions"
            )
            raise e

    if not hasattr(rasa_action.RemoteAction, "_rasa_validate_action_result"):
        rasa_action.RemoteAction._rasa_validate_action_result = rasa_action.RemoteAction._validate_action_result
    rasa_action.RemoteAction._validate_action_result = _validate_action_result
