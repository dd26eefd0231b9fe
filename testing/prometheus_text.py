"""A process's `/metrics` read over HTTP, as Prometheus would: samples by name and labels.

Enough of the text exposition format for our processes (the Temporal SDK's exporter): one sample a
line, `name{label="value",...} number`, comments skipped. Not a general parser.
"""

import re
from dataclasses import dataclass

import httpx

_SAMPLE = re.compile(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Sample:
    name: str
    labels: dict[str, str]
    value: float


@dataclass(frozen=True)
class Scrape:
    samples: list[Sample]

    @property
    def names(self) -> set[str]:
        return {sample.name for sample in self.samples}

    def total(self, name: str, **labels: str) -> float:
        """The sum of `name`'s samples that carry these labels (0 before its first point)."""
        return sum(
            sample.value
            for sample in self.samples
            if sample.name == name and labels.items() <= sample.labels.items()
        )


def parse(text: str) -> Scrape:
    samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match is None:  # a comment, a blank line
            continue
        name, labels, value = match.groups()
        samples.append(Sample(name, dict(_LABEL.findall(labels or "")), float(value)))
    return Scrape(samples)


def scrape(url: str) -> Scrape:
    response = httpx.get(url, timeout=5)
    response.raise_for_status()
    return parse(response.text)
