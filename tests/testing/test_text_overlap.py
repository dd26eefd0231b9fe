"""token_overlap scores as article-extraction benchmarks do: bags of lower-cased word tokens."""

import pytest

from testing.text_overlap import token_overlap, word_tokens


def test_case_and_punctuation_do_not_count():
    assert word_tokens("The ferry, the FERRY!") == {"the": 2, "ferry": 2}


def test_accented_words_stay_whole():
    assert word_tokens("« Là-bas », dit-elle.") == {"là": 1, "bas": 1, "dit": 1, "elle": 1}


def test_precision_is_the_share_of_extracted_tokens_that_are_true():
    overlap = token_overlap("one two three four", "one two")
    assert (overlap.precision, overlap.recall) == (0.5, 1.0)


def test_recall_is_the_share_of_true_tokens_extracted():
    overlap = token_overlap("one", "one two three four")
    assert (overlap.precision, overlap.recall) == (1.0, 0.25)


def test_a_token_extracted_twice_overlaps_only_as_often_as_it_is_true():
    overlap = token_overlap("yes yes yes yes", "yes no")
    assert (overlap.precision, overlap.recall) == (0.25, 0.5)


def test_f1_is_the_harmonic_mean():
    assert token_overlap("a b c d", "a b").f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)


def test_nothing_extracted_from_a_real_text_scores_zero():
    overlap = token_overlap("", "some text")
    assert (overlap.precision, overlap.recall, overlap.f1) == (0.0, 0.0, 0.0)
