"""The article corpus is fit to score against: every page has a true text, drawn from the page."""

from testing.article_corpus import body_text, corpus_pages
from testing.text_overlap import word_tokens


def test_the_corpus_has_its_pages():
    assert len(corpus_pages()) >= 12


def test_every_true_text_is_made_of_words_of_its_page():
    missing = {
        page.name: dict(word_tokens(page.true_text) - word_tokens(body_text(page.html)))
        for page in corpus_pages()
    }
    assert {name: words for name, words in missing.items() if words} == {}
