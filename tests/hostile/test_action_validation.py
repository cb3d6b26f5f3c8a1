"""The action-reply check built once (channels/action_validation.py) accepts and refuses exactly as Rasa's."""
from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels.action_validation import install


def test_the_fast_check_accepts_and_refuses_what_rasa_does() -> None:
    install()
    install()  # twice is harmless
    rasa_own = RemoteAction._rasa_validate_action_result
    assert RemoteAction._validate_action_result is not rasa_own
    action = RemoteAction("action_x", None)
    good = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]}
    bad = {"events": [{"event": "slot", "name": 3}], "responses": []}
    assert action._validate_action_result(good) is True and rasa_own(action, good) is True
    with pytest.raises(ValidationError) as rasa_error:
        rasa_own(action, bad)
    with pytest.raises(ValidationError) as fast_error:
        action._validate_action_result(bad)
    assert fast_error.value.message == rasa_error.value.message


def test_our_channel_installs_it() -> None:
    """In a fresh interpreter, as when `rasa run` loads credentials.yml."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("from rasa.core.actions.action import RemoteAction as R; assert not hasattr(R, '_rasa_validate_action_result'); "
            "import channels.local_offer_rest; assert hasattr(R, '_rasa_validate_action_result'); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]
