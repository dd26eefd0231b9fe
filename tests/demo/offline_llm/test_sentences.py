from demo.offline_llm.sentences import split_sentences


def test_titles_before_names_do_not_end_a_sentence() -> None:
    text = "Mr. Smith met Dr. Jones and Prof. Lee. They agreed."
    assert split_sentences(text) == ["Mr. Smith met Dr. Jones and Prof. Lee.", "They agreed."]


def test_decimals_and_amounts_stay_whole() -> None:
    text = "Growth was 3.5 percent. Shares rose to $12.75 on Friday."
    assert split_sentences(text) == ["Growth was 3.5 percent.", "Shares rose to $12.75 on Friday."]


def test_an_acronym_before_a_name_does_not_end_a_sentence() -> None:
    text = "The U.S. Army built it. Work began in 2020."
    assert split_sentences(text) == ["The U.S. Army built it.", "Work began in 2020."]


def test_an_acronym_before_a_sentence_opener_ends_the_sentence() -> None:
    text = "The plant is the largest in the U.S. The owner plans another."
    assert split_sentences(text) == [
        "The plant is the largest in the U.S.",
        "The owner plans another.",
    ]


def test_initials_do_not_end_a_sentence() -> None:
    assert split_sentences("J. K. Rowling spoke. Fans cheered.") == [
        "J. K. Rowling spoke.",
        "Fans cheered.",
    ]


def test_a_closing_quote_belongs_to_the_sentence_it_ends() -> None:
    text = 'She said "we are ready." Then the vote began. “It is over!” He left.'
    assert split_sentences(text) == [
        'She said "we are ready."',
        "Then the vote began.",
        "“It is over!”",
        "He left.",
    ]


def test_a_quoted_question_followed_by_lower_case_continues_the_sentence() -> None:
    assert split_sentences('"Is it safe?" asked the mayor. Nobody knew.') == [
        '"Is it safe?" asked the mayor.',
        "Nobody knew.",
    ]


def test_times_followed_by_lower_case_stay_whole() -> None:
    assert split_sentences("Talks ended at 5 p.m. on Friday. Both sides left.") == [
        "Talks ended at 5 p.m. on Friday.",
        "Both sides left.",
    ]


def test_blank_lines_end_a_sentence_even_without_a_full_stop() -> None:
    text = "Tidal barrier gets funding\n\nThe council agreed on Tuesday."
    assert split_sentences(text) == ["Tidal barrier gets funding", "The council agreed on Tuesday."]


def test_line_breaks_inside_a_paragraph_become_single_spaces() -> None:
    text = "The barrier will\n   protect homes.\tIt opens\nin May."
    assert split_sentences(text) == ["The barrier will protect homes.", "It opens in May."]


def test_text_without_sentences_gives_none() -> None:
    assert split_sentences(" \n\n \t") == []
