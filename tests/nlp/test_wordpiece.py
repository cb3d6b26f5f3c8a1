"""The tokenizer follows BERT's uncased rules (the model was trained on them), on a vocabulary made here."""
from __future__ import annotations

from bot.nlp.wordpiece import WordPiece, normalise, pre_tokenize

VOCAB = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "my", "son", "'", "s", "ehc", "##p",
                                     "cafe", "?", "un", "##able", "##s"])}


def test_normalise_lowercases_strips_accents_and_control_characters() -> None:
    assert normalise("Café\u200b NAÏVE\tok") == "cafe naive ok"


def test_punctuation_is_a_word_of_its_own() -> None:
    assert pre_tokenize("my son's EHCP?") == ["my", "son", "'", "s", "EHCP", "?"]


def test_longest_piece_first_and_unknown_words() -> None:
    tokenizer = WordPiece(VOCAB)
    assert tokenizer.encode("My son's EHCP?") == [2, 4, 5, 6, 7, 8, 9, 11, 3]
    assert tokenizer.word_ids("unables") == [12, 13, 14]
    assert tokenizer.word_ids("xyz") == [1]  # no piece matches: the whole word is [UNK]
    assert tokenizer.count("My son's EHCP?") == 7


def test_encode_never_exceeds_the_length_asked_for() -> None:
    ids = WordPiece(VOCAB).encode("my son " * 300, max_length=16)
    assert len(ids) == 16 and ids[0] == 2 and ids[-1] == 3
