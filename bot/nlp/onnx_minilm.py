"""all-MiniLM-L6-v2 run by ONNX Runtime: the graph `bot/nlp/onnx_graph.py` builds from the pinned weights,
offering the numpy pass's interface (`sentence_vectors`), so `Encoder` does not know which one it holds.

Why: the same fp32 computation took about half the time of the numpy pass on a 1,000-character message and a
third of it on the training set (issue #15, bench/README.md), with the same vectors (to 1e-6). numpy stays the
reference the tests compare with, and the fallback when model.onnx or onnxruntime is missing.
Why one thread by default: a server answers several conversations at once on a few cores, and one forward
pass spread over every core makes the others wait; ENCODER_THREADS changes it (bot/config.py).
"""
from __future__ import annotations

from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import onnxruntime as ort

from bot.nlp.minilm import pad_batch
from bot.nlp.onnx_graph import ATTENTION_MASK, INPUT_IDS

RUNTIME = f"onnxruntime {ort.__version__}"
# A run over more word pieces than this (padding included) hands its working memory back afterwards. ONNX
# Runtime otherwise keeps the most any run needed: after one training-size batch (32 chunks of 250 pieces) a
# process stayed about 270 MB larger for good. A family's message, even at 1,000 characters (one or two
# chunks), stays under it and reuses the memory, which was about 5% faster.
RELEASE_OVER = 4 * 256


class OnnxMiniLM:
    """An onnxruntime session on model.onnx (CPU, fp32). Its weights live inside the session, not in numpy."""

    def __init__(self, path: Path, threads: int = 1) -> None:
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # With more than one thread, idle workers sleep rather than spin between operators: the cores are
        # shared with the other conversations and with Rasa's own work.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: its warnings would repeat in every process's log
        self.threads = options.intra_op_num_threads
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._release = ort.RunOptions()
        self._release.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def sentence_vectors(self, batch_ids: list[list[int]]) -> npt.NDArray[np.float32]:
        """(len(batch_ids), 384) float32, L2-normalised: the padded batch and its mask, as MiniLM builds them."""
        ids, mask = pad_batch(batch_ids, np.int64)
        release = self._release if ids.size > RELEASE_OVER else None
        outputs = self.session.run(None, {INPUT_IDS: ids, ATTENTION_MASK: mask}, release)
        return cast(npt.NDArray[np.float32], outputs[0])
