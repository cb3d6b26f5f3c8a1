"""BERT's uncased WordPiece tokenizer in plain Python, read from the model's own `tokenizer.json`.

Why our own: Hugging Face's `tokenizers` (0.14 on) pulls in `huggingface_hub`, a model-hub client this
project must never need, and the BERT rules are short: clean the text, lower-case, strip accents, split on
whitespace and punctuation, then take the longest vocabulary piece from the left. The behaviour follows
`BertNormalizer` + `BertPreTokenizer` + `WordPiece` of that file (checked against `tokenizers` on the
real-dev messages when it was written; `tests/nlp/test_encoder.py` pins known ids).
"""
from __future__ import annotations

import unicodedata
from typing import Mapping

CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"
MAX_CHARS_PER_WORD = 100


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def normalise(text: str) -> str:
    """BertNormalizer: drop control characters, whitespace to spaces, space out CJK, lower-case, strip accents."""
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if _is_whitespace(ch):
            out.append(" ")
        elif _is_cjk(cp):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    lowered = "".join(out).lower()
    return "".join(c for c in unicodedata.normalize("NFD", lowered) if unicodedata.category(c) != "Mn")


def pre_tokenize(text: str) -> list[str]:
    """BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own."""
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for ch in chunk:
            if _is_punctuation(ch):
                if current:
                    words.append(current)
                    current = ""
                words.append(ch)
            else:
                current += ch
        if current:
            words.append(current)
    return words


class WordPiece:
    """Text to vocabulary ids, [CLS] ... [SEP] around them, as the sentence-transformers model was trained."""

    def __init__(self, vocab: Mapping[str, int]) -> None:
        self.vocab = dict(vocab)
        self.cls_id, self.sep_id, self.unk_id = self.vocab[CLS], self.vocab[SEP], self.vocab[UNK]
        self._cache: dict[str, list[int]] = {}

    def word_ids(self, word: str) -> list[int]:
        """Greedy longest match from the left; a word with no full match is one [UNK]."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        if len(word) > MAX_CHARS_PER_WORD:
            ids = [self.unk_id]
        else:
            start = 0
            while start < len(word):
                end, piece_id = len(word), None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    piece_id = self.vocab.get(piece)
                    if piece_id is not None:
                        break
                    end -= 1
                if piece_id is None:
                    ids = [self.unk_id]
                    break
                ids.append(piece_id)
                start = end
        if len(self._cache) < 50_000:
            self._cache[word] = ids
        return ids

    def encode(self, text: str, max_length: int = 256) -> list[int]:
        """Ids with [CLS] and [SEP], cut to `max_length` in all (callers split long text first)."""
        ids: list[int] = []
        for word in pre_tokenize(normalise(text)):
            ids.extend(self.word_ids(word))
        return [self.cls_id, *ids[: max_length - 2], self.sep_id]

    def count(self, text: str) -> int:
        """Word pieces in `text`, without [CLS] and [SEP]."""
        return sum(len(self.word_ids(w)) for w in pre_tokenize(normalise(text)))
