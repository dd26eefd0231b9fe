"""cut_at_sentence: at most the limit, ending at a sentence, never inside a word."""

import pytest

from activities.articles.extraction import cut_at_sentence

TEXT = 'The ferry is back. "We missed it," she said. It sails at six! Fares stay the same'


def test_a_text_within_the_limit_is_kept_whole():
    assert cut_at_sentence(TEXT, len(TEXT)) == TEXT


def test_a_longer_text_ends_with_the_last_sentence_that_fits():
    fits = 'The ferry is back. "We missed it," she said. It sails at six!'
    assert cut_at_sentence(TEXT, len(fits) + 5) == fits


def test_a_quote_closing_the_last_sentence_is_kept():
    text = 'He said "Go home." Then he left.'
    assert cut_at_sentence(text, len('He said "Go home."')) == 'He said "Go home."'


def test_a_cut_between_a_full_stop_and_its_closing_quote_drops_the_sentence():
    text = 'One two. "Three four." Five'
    assert cut_at_sentence(text, len('One two. "Three four.')) == "One two."


def test_without_a_sentence_end_it_cuts_between_words_and_says_so():
    assert cut_at_sentence("seven eight nine ten", 14) == "seven eight…"


@pytest.mark.parametrize("limit", range(5, len(TEXT)))
def test_every_cut_is_within_the_limit_and_ends_a_word(limit: int):
    cut = cut_at_sentence(TEXT, limit)
    assert len(cut) <= limit
    kept = cut.removesuffix("…")
    assert TEXT.startswith(kept) and (len(kept) == len(TEXT) or not TEXT[len(kept)].isalnum())
