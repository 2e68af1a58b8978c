"""Whose document a draft is: given, named in the title, or the kommun the
draft names most often."""

from __future__ import annotations

from collections import Counter

from policygen.kommuner import Kommun, kommun_mentions, lookup_kommun


def own_kommun(title: str, opening: list[str], texts: list[str], given: str | None) -> tuple[Kommun | None, str]:
    """The draft's own kommun and how it was found: given (--kommun), from the
    title or opening lines, or as the kommun the draft names most often."""
    if given:
        return lookup_kommun(given), "angiven"
    for text in [title, *opening]:
        mentions = kommun_mentions(text)
        if mentions:
            return mentions[0].kommun, "titeln"
    counts = Counter(m.kommun for text in texts for m in kommun_mentions(text))
    if counts:
        (kommun, top), = counts.most_common(1)
        if top >= 2 and top >= 0.6 * sum(counts.values()):
            return kommun, "flest omnämnanden"
    return None, "okänd"
