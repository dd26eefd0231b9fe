"""A briefing from feeds of headlines and one-liners reads each story's page, as a person would:
the summaries come from the articles, never from the clutter around them, and say so."""

from activities.models import BriefingStory, TextSource
from demo.newsroom.catalogue import Catalogue, Story, load_catalogue
from demo.newsroom.outlets import OUTLETS_BY_SLUG, feed_path
from demo.newsroom.page_clutter import clutter_sentences
from demo.offline_llm.sentences import normalise_whitespace, split_sentences
from tests.workflows.briefings import briefing_request, run_briefing, start_briefing
from workflows.models import BriefingResult, StepKind, StepProgress

CATALOGUE = load_catalogue()
BY_TITLE = {
    story.title: story for outlet in OUTLETS_BY_SLUG for story in CATALOGUE.for_outlet(outlet)
}


def stories_of(result: BriefingResult) -> list[BriefingStory]:
    return [story for section in result.briefing.sections for story in section.stories]


def reads_of(result: BriefingResult) -> dict[str, StepProgress]:
    return {s.label: s for s in result.progress.steps if s.kind == StepKind.READ}


def article_text(story: Story) -> str:
    return normalise_whitespace(" ".join([story.title, story.dek, *story.body]))


def assert_from_the_story_not_its_clutter(briefed: BriefingStory, catalogue: Catalogue) -> None:
    story = BY_TITLE[briefed.title]
    for sentence in split_sentences(briefed.summary):
        assert sentence in article_text(story), f"{sentence!r} is not in {story.slug}"
    for clutter in clutter_sentences(story, catalogue):
        # Single words (menu items, "Reply") may well be in a story: sentences may not.
        if len(clutter.split()) > 3:
            assert clutter not in briefed.summary, f"{clutter!r} reached {story.slug}'s summary"


async def test_one_line_feeds_give_summaries_of_the_articles_and_none_of_the_clutter(
    temporal_client, settings, worker, newsroom_url
):
    # Headline-only (circuit-daily), one sentence (harbour-herald, stage-and-page): read the page.
    sources = [
        newsroom_url + feed_path(OUTLETS_BY_SLUG[slug])
        for slug in ("circuit-daily", "harbour-herald", "stage-and-page")
    ]
    request = briefing_request(settings, topic="the latest", sources=sources, max_stories=9)

    result = await run_briefing(temporal_client, settings, request)

    briefed = stories_of(result)
    assert len(briefed) == 9
    assert {story.text_source for story in briefed} == {TextSource.ARTICLE}
    for story in briefed:
        assert_from_the_story_not_its_clutter(story, CATALOGUE)
        # Read beyond the feed: most of what the summary says was never in the feed.
        assert any(
            sentence in " ".join(BY_TITLE[story.title].body)
            for sentence in split_sentences(story.summary)
        )
    reads = reads_of(result)
    assert all(step.detail and step.detail.startswith("read ") for step in reads.values())
    assert "summarised from the article" in result.briefing.markdown


async def test_a_paywalled_outlet_keeps_its_feed_sentence_and_says_why(
    temporal_client, settings, worker, newsroom_url
):
    ledger = newsroom_url + feed_path(OUTLETS_BY_SLUG["the-ledger"])
    request = briefing_request(settings, topic="the latest", sources=[ledger], max_stories=3)

    result = await run_briefing(temporal_client, settings, request)

    briefed = stories_of(result)
    assert briefed and {story.text_source for story in briefed} == {TextSource.FEED}
    for story in briefed:
        # The feed's one sentence is all there was to summarise, and the page's teaser unused.
        assert normalise_whitespace(story.summary) == BY_TITLE[story.title].dek
    reads = reads_of(result)
    # Three stories and the one spare read for the first of them: every page behind the paywall.
    assert len(reads) == 4
    assert all("the page is behind a paywall" in (step.detail or "") for step in reads.values())
    assert "summarised from the feed's description" in result.briefing.markdown


async def test_a_report_linked_as_a_pdf_keeps_its_feed_text_or_yields_to_a_spare(
    temporal_client, settings, worker, newsroom_url
):
    lab_notes = newsroom_url + feed_path(OUTLETS_BY_SLUG["lab-notes"])
    reports = {s.title for s in CATALOGUE.for_outlet("lab-notes") if s.link == "pdf"}
    every_story = len(CATALOGUE.for_outlet("lab-notes"))
    # All of the outlet's stories: no spare is left, the reports keep their feed sentence.
    request = briefing_request(
        settings, topic="the latest", sources=[lab_notes], max_stories=every_story
    )

    result = await run_briefing(temporal_client, settings, request)

    by_title = {story.title: story for story in stories_of(result)}
    assert reports <= set(by_title)
    for title, story in by_title.items():
        expected = TextSource.FEED if title in reports else TextSource.ARTICLE
        assert story.text_source == expected, title
    reads = reads_of(result)
    for title in reports:
        assert reads[title].detail == (
            "the feed's description is used: the link is a PDF, not a web page"
        )


async def test_a_story_whose_page_gives_no_article_yields_to_a_spare_whose_page_does(
    temporal_client, settings, worker, newsroom_url
):
    sources = [
        newsroom_url + feed_path(OUTLETS_BY_SLUG[s]) for s in ("the-ledger", "circuit-daily")
    ]
    request = briefing_request(settings, topic="the latest", sources=sources, max_stories=3)

    result = await run_briefing(temporal_client, settings, request)

    briefed = stories_of(result)
    assert len(briefed) == 3
    assert {story.text_source for story in briefed} == {TextSource.ARTICLE}
    spares = [step for label, step in reads_of(result).items() if "(a spare for “" in label]
    assert len(spares) == 1 and spares[0].detail and spares[0].detail.startswith("read ")
    replaced = spares[0].label.split("(a spare for “")[1].rstrip("”)")
    assert "the page is behind a paywall" in (reads_of(result)[replaced].detail or "")
    assert replaced not in {story.title for story in briefed}
    select = next(step for step in result.progress.steps if step.kind == StepKind.SELECT)
    assert select.detail and "(and 1 spare)" in select.detail


async def test_the_article_text_is_in_the_read_and_the_summary_input_and_never_in_compose(
    temporal_client, settings, worker, newsroom_url
):
    herald = newsroom_url + feed_path(OUTLETS_BY_SLUG["harbour-herald"])
    request = briefing_request(settings, topic="the latest", sources=[herald], max_stories=3)
    handle = await start_briefing(temporal_client, settings, request)
    result = await handle.result()
    history = await handle.fetch_history()

    scheduled = {}
    for event in history.events:
        attributes = event.activity_task_scheduled_event_attributes
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled[event.event_id] = (attributes.activity_type.name, attributes.input)
    carried: dict[str, list[str]] = {}
    for event in history.events:
        if event.HasField("activity_task_completed_event_attributes"):
            done = event.activity_task_completed_event_attributes
            name, payloads = scheduled[done.scheduled_event_id]
            texts = [p.data.decode() for p in (*payloads.payloads, *done.result.payloads)]
            carried.setdefault(name, []).extend(texts)
    # A run of each story's words (JSON-escaping leaves plain words alone) that its summary,
    # which compose does get, does not repeat.
    unsummarised = [
        next(
            words
            for paragraph in reversed(BY_TITLE[story.title].body)
            if (words := " ".join(paragraph.split()[:6])) not in story.summary
        )
        for story in stories_of(result)
    ]
    assert len(unsummarised) == 3
    for words in unsummarised:
        assert any(words in text for text in carried["read_article"])
        assert any(words in text for text in carried["summarize_story"])
        assert not any(words in text for text in carried["compose_briefing"])
