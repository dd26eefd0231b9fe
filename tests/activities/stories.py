"""Small hand-made stories with multi-sentence excerpts, in the shape the select step produces."""

import re

from activities.models import Story, StorySummary, SummarizedStory, TokenUsage

MODEL = "offline-extractive"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")

TIDAL_BARRIER = Story(
    id="tidal-barrier",
    title="Council backs a tidal barrier on the estuary",
    excerpt=(
        "The city council approved a tidal barrier on the river estuary on Tuesday. "
        "The barrier will protect 12,000 homes from flooding. "
        "Engineers say its turbines will also generate renewable electricity. "
        "Critics warned that council tax will rise by 4.5 percent to pay for it. "
        "The first construction contracts are expected to be signed in the spring."
    ),
    links=["https://herald.example/stories/tidal-barrier"],
    source_names=["The Harbour Herald"],
    categories=["science"],
)

CHIP_PLANT = Story(
    id="chip-plant",
    title="Kestrel Semiconductor opens a chip plant in Dunmore",
    excerpt=(
        "Kestrel Semiconductor has opened a chip plant in Dunmore. "
        "The plant makes silicon carbide power chips for electric cars and wind turbines. "
        "It cost 2.3 billion euros and will employ 900 people. "
        "Kestrel expects full output of 15,000 wafers a month within three years."
    ),
    links=["https://circuit.example/stories/chip-plant"],
    source_names=["Circuit Daily"],
    categories=["tech"],
)

COMET_SIGHTING = Story(
    id="comet-sighting",
    title="Amateur astronomers spot a new comet",
    excerpt=(
        "Two amateur astronomers have spotted a comet never seen before. "
        "The comet will pass closest to the Sun in March. "
        "It may become bright enough to see with binoculars."
    ),
    links=["https://labnotes.example/stories/comet", "https://herald.example/stories/comet"],
    source_names=["Lab Notes Weekly", "The Harbour Herald"],
    categories=["Science"],
)


def summarized(story: Story, usage: TokenUsage) -> SummarizedStory:
    """The story with a summary of its first two sentences, as if the LLM had written it."""
    first_two = " ".join(sentences(story.excerpt)[:2])
    return SummarizedStory(
        story=story,
        summary=StorySummary(story_id=story.id, summary=first_two, model=MODEL, usage=usage),
    )


def sentences(text: str) -> list[str]:
    return [sentence for sentence in _SENTENCE_END.split(text.strip()) if sentence]
