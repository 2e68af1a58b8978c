"""Kind `annan_kommun`: another kommun speaking in the draft's own voice – the
leftover of a text copied from that kommun's document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygen.kommuner import Mention, kommun_by_name, kommun_mentions
from policygen.lint.text.kinds.base import (
    WORDS,
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    TextUnit,
    make_hit,
    sentence_around,
)

_WORD = re.compile(r"[\w-]+")
# Where a clause starts inside a sentence: a mention after these is judged on its own clause.
_CLAUSE_BREAK = re.compile(r"[,;:–—(\"”]")
# A capitalised name (one or two words) and the word after it, tried where a sentence starts.
_BARE_NAME = re.compile(r"([A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+)?)\s+(\w+)")
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class OtherKommunOptions:
    verbs: frozenset[str]
    strong_verbs: frozenset[str]
    mention_words: frozenset[str]
    clause_openers: frozenset[str]
    ambiguous_names: frozenset[str]       # as written: "Mark", "Vara"
    place_words: frozenset[str] = frozenset()


class OtherKommun(Kind[OtherKommunOptions]):
    name = "annan_kommun"
    description = ("en annan kommuns namn som subjekt i dokumentets egen röst (”Ljungby kommun ska”, "
                   "”Ljungby kommuns nämnder”, ”I Ljungby kommun finns”) eller som platsen för dokumentets "
                   "eget arbete (”… ska växa i Ljungby kommun”); inte när kommunen nämns som "
                   "exempel, grannkommun eller samarbetspart")
    fields = {
        # Verbs after the name (or just before it: "Därför ska X kommun") that make the kommun the actor.
        "verbs": WORDS,
        # Verbs that make the kommun the actor where the word order says less: after a bare
        # name without "kommun" ("Alvesta ska …") and before the name ("Därför ska X kommun …").
        "strong_verbs": WORDS,
        # Words earlier in the same clause that make the name a mention: "hur", "som", "med", "enligt".
        "mention_words": WORDS,
        # Prepositions that may open the clause before the name ("I Ljungby kommun finns").
        "clause_openers": WORDS,
        # Kommun names that are also ordinary words or first names ("Mark", "Vara"): never alone.
        "ambiguous_names": WORDS,
        # Prepositions that make the kommun the place of the draft's own work when a strong
        # verb leads the clause: "Fler sociala företag ska växa i Luleå kommun".
        "place_words": WORDS,
    }
    required = ("verbs", "strong_verbs", "mention_words", "clause_openers")
    message_fields = frozenset({"egen"})

    def prepare(self, entry: dict, fail: Fail) -> OtherKommunOptions:
        def lowered(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in entry.get(key, []))
        return OtherKommunOptions(lowered("verbs"), lowered("strong_verbs"), lowered("mention_words"),
                                  lowered("clause_openers"), frozenset(entry.get("ambiguous_names", [])),
                                  lowered("place_words"))

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        own = facts.own_kommun
        if own is None:
            return []
        options = self.options(rule)
        hits = []
        for unit in texts.running.units:
            is_title = unit.kind == "rubrik" and unit.location.paragraph == facts.title_location.paragraph
            for mention in kommun_mentions(unit.text):
                if mention.kommun == own:
                    continue
                end = self._acting_end(unit, mention, options)
                if end is None and is_title:
                    end = mention.end
                if end is not None:
                    hits.append(make_hit(rule, unit, mention.start, end, egen=own.officiellt_namn))
            starts = {0, *(m.end() for m in _SENTENCE_START.finditer(unit.text))}
            for match in filter(None, (_BARE_NAME.match(unit.text, start) for start in sorted(starts))):
                name, verb = match.group(1), match.group(2)
                kommun = kommun_by_name(name)
                if kommun is None or kommun == own or name in options.ambiguous_names \
                        or verb.lower() not in options.strong_verbs:
                    continue
                hits.append(make_hit(rule, unit, match.start(1), match.end(2), egen=own.officiellt_namn))
        return hits

    @staticmethod
    def _acting_end(unit: TextUnit, mention: Mention, options: OtherKommunOptions) -> int | None:
        """Where the finding ends if the mention is the kommun acting as the
        document's own voice, else None."""
        text = unit.text
        first, _ = sentence_around(unit, mention.start, mention.end)
        breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, first, mention.start)]
        before = [w.lower() for w in _WORD.findall(text[breaks[-1] if breaks else first:mention.start])]
        if any(word in options.mention_words for word in before):
            return None
        following = re.match(r"\s+([\w-]+)", text[mention.end:])
        next_word = following.group(1).lower() if following else ""
        next_end = mention.end + following.end() if following else mention.end
        at_clause_start = not before or (len(before) == 1 and before[0] in options.clause_openers)
        if at_clause_start:
            if mention.genitive and next_word:            # "Ljungby kommuns nämnder"
                return next_end
            if next_word in options.verbs:             # "Ljungby kommun ska"
                return next_end
            return None
        # Inverted word order after an adverb: "Därför ska Markaryds kommun prioritera …"
        # (not "Ett exempel är X kommun": only a strong verb puts the kommun in charge).
        if not mention.genitive and len(before) <= 3 and before[-1] in options.strong_verbs:
            return mention.end
        # The place where the draft's own work is to happen: "… ska växa i Luleå kommun"
        # (not "tillsammans med", "som i": those words made it a mention above).
        if not mention.genitive and before[-1] in options.place_words \
                and any(word in options.strong_verbs for word in before[:-1]):
            return mention.end
        return None

    def details(self, rule) -> tuple[str, ...]:
        options = rule.options
        return ("ord efter namnet som visar att kommunen handlar: " + ", ".join(sorted(options.verbs)),
                "ord före namnet som gör det till ett omnämnande: " + ", ".join(sorted(options.mention_words)))
