"""Run `rasa` with the check of each action server reply built once (channels/action_validation.py).

Our own Rasa server gets it anyway, through its channel; this wrapper lets `bench/load_bench.py
--fast-validation` give Rasa's example bot the same treatment, so the comparison stays fair.

    python bench/lib/rasa_fast_validation.py run --model ...   (the same arguments as `rasa`)
"""
from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # bench/lib must not shadow
    sys.path.insert(0, os.path.dirname(os.path.dirname(here)))  # the project root, for channels/
    from channels.action_validation import install

    install()
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
