"""Kinds `lag` and `paragraf`: laws and paragraphs a draft cites, compared with
the fact registry.

`lag`: a law cited by SFS number, or by name and year ("LOU från 2007"), must
be in force today unless the sentence tells history, and its number must
match the title or abbreviation written with it ("lag (2016:1146) om offentlig
upphandling" is LUF's number under LOU's title).

`paragraf`: a paragraph cited for a subject must be where today's law puts
that subject: "15 kap. 3 § LOU" for direct awards is the numbering of the law
repealed in 2017; "reserverade kontrakt enligt 4 kap. 3 § LOU" cites the
paragraph on social considerations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from policygen.facts.registry import Law, Paragraph, Ref, Registry, load_registry, parse_ref
from policygen.lint.text.claims import ClaimSentence, sentences, time_frame
from policygen.lint.text.kinds.base import (
    DraftFacts,
    Fail,
    Kind,
    TextHit,
    TextRule,
    Texts,
    make_hit,
)
from policygen.lint.text.kinds.fact_amounts import FACT_MESSAGE_FIELDS, fact_fields

_SFS = re.compile(r"(?<![\d:])(?:SFS\s*)?(?P<sfs>(?:19|20)\d\d:\d{1,4})(?![\d:])")
# A citation around an SFS number: "lag (2016:1145) om offentlig upphandling", "LOU (2007:1091)", "LUF 2016:1146".
_BEFORE = re.compile(r"(?:(?P<short>\b[A-ZÅÄÖ]{2,4})\b[\s,]*(?:(?:dvs|d\.v\.s|det\s+vill\s+säga|alltså)\.?[\s,]*)?"
                     r"(?:[Ll]ag(?:en)?\s*)?|(?P<lag>\b[Ll]ag(?:en)?)|(?P<named>\b[A-ZÅÄÖa-zåäö]+lag(?:en)?))"
                     r"[\s(]*(?:SFS\s*)?$")
_TITLE_AFTER = re.compile(r"^\)?\s*(?:om|för)\s+(?P<title>[a-zåäöéü ,-]+?)(?=\s*(?:[.;:)]|\(|,\s|\s(?:och|samt|som|"
                          r"när|ska|skall|är|gäller|får|kan|med|vid|i|ersattes|upphävdes|har|hade|trädde|ändrades|"
                          r"ändrats|reglerar|innebär|säger|anger|kräver|ger|gör|möjliggör|används|behövs|"
                          r"finns|blir|kom|var)\b|$))")
# A title written before the number: "lagen om offentlig upphandling (2016:1146)".
_TITLE_BEFORE = re.compile(r"\b[Ll]ag(?:en)?\s+(?:\(\s*)?(?P<title>(?:om|för)\s+[a-zåäöéü ,-]+?)[\s(]*(?:SFS\s*)?$")
def _unbracketed(text: str, start: int, end: int) -> str:
    """`text` with the brackets right around [start, end) made spaces (same length, same places)."""
    opening = text.rfind("(", max(0, start - 6), start)
    closing = text.find(")", end, end + 4)
    chars = list(text)
    for at in (opening, closing):
        if at >= 0:
            chars[at] = " "
    return "".join(chars)


def _other_laws_subject(registry: Registry, law: Law, text: str) -> tuple[str | None, str | None]:
    """A law cited by number alone for a subject another law holds ("Registrering av idéburna
    organisationer sker hos Kammarkollegiet enligt lag (2018:1937)"): at least two of the other
    law's subject words stand in the sentence, and nothing of the cited law's own subject does."""
    lowered = text.lower()
    own_words = {w for p in registry.paragraphs if p.law == law.id for w in p.words}
    own_title = {w for title in law.titles() for w in title.lower().split() if len(w) > 5}
    if any(w in lowered for w in own_words | own_title):
        return None, None
    for other in registry.laws:
        if other.id == law.id or other.period.end is not None:
            continue
        words = {w for p in registry.paragraphs if p.law == other.id for w in p.words}
        if len({w for w in words if w in lowered}) >= 2:
            return (f"hänvisar till {law.citation()} för något som står i {other.citation()}.", other.citation())
    return None, None


def _mistyped(registry: Registry, sfs: str, text: str) -> Law | None:
    """A law in force whose number is one character from `sfs` ("2023:900" for 2022:900) and
    whose subject the sentence names: a typo in the number, not another law."""
    lowered = text.lower()
    for law in registry.laws:
        if law.period.end is not None or len(law.sfs) != len(sfs):
            continue
        differ = [i for i, (a, b) in enumerate(zip(law.sfs, sfs)) if a != b]
        swapped = len(differ) == 2 and differ[1] == differ[0] + 1 and law.sfs[differ[0]] == sfs[differ[1]] \
            and law.sfs[differ[1]] == sfs[differ[0]]
        if len(differ) != 1 and not swapped:
            continue
        subjects = [p for p in registry.paragraphs if p.law == law.id]
        if any(word in lowered for p in subjects for word in p.words) or \
                any(title.lower().removeprefix("lag om ") in lowered for title in law.titles()):
            return law
    return None
# Between two laws: the first replaced the second, or (passive) was replaced by it.
_REPLACED = re.compile(r"\b(?:(?P<passive>ersattes\s+(?:\w+\s+){0,4}?av|har\s+ersatts\s+av|avlöstes\s+av)|ersatte|ersätter|avlöste)\b",
                       re.IGNORECASE)
_SHORT_AFTER = re.compile(r"^\)?\s*\(?\s*(?P<short>[A-ZÅÄÖ]{2,4})\b")
_YEAR_FORM = re.compile(
    r"(?P<name>\bLOU\b|\bLUF\b|\b[Ll]agen\s+om\s+offentlig\s+upphandling|\bupphandlingslagen)\s+(?:från|av)\s+(?:år\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b|(?P<year2>(?:19|20)\d\d)\s+års\s+(?P<name2>LOU|LUF|lag\s+om\s+offentlig\s+upphandling|"
    r"upphandlingslag)")


def _normal_title(text: str) -> str:
    words = " ".join(text.lower().replace(",", " ").split())
    return re.sub(r"^lagen\b", "lag", words)


def _titled(registry: Registry, title: str) -> list[Law]:
    wanted = _normal_title(title)
    return [law for law in registry.laws if any(_normal_title(t) == wanted for t in law.titles())]


@dataclass(frozen=True)
class LawOptions:
    names: dict[str, str]        # a law's name as drafts write it (lower case) → registry law id


class FactLaws(Kind[LawOptions]):
    name = "lag"
    description = ("en lag som anges med SFS-nummer eller med namn och år: den ska gälla i dag (om meningen inte "
                   "berättar historia) och numret ska höra till titeln eller förkortningen bredvid")
    fields = {"names": {"type": "object", "minProperties": 1, "additionalProperties": {"type": "string"},
                        "description": "namn och förkortningar (små bokstäver) → faktaregistrets lag-id"}}
    required = ("names",)
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> LawOptions:
        registry = load_registry()
        known = {law.id for law in registry.laws}
        for name, law_id in entry["names"].items():
            if law_id not in known:
                raise fail(f"lagen {law_id} (för ”{name}”) finns inte i faktaregistret", ["names"],
                           "använd ett id ur laws: i lint_rules/faktaregister.yaml")
        return LawOptions({name.lower(): law_id for name, law_id in entry["names"].items()})

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        for sentence in sentences(texts):
            text = sentence.text
            if ":" in text:
                hits += self._numbers(rule, options, registry, sentence, facts.today)
                hits += self._replacements(rule, registry, sentence)
            if "år" in text or "från" in text or " av " in text:
                hits += self._years(rule, options, registry, sentence, facts.today)
        return hits

    def _numbers(self, rule: TextRule, options: LawOptions, registry: Registry, sentence: ClaimSentence,
                 today: date) -> list[TextHit]:
        text = sentence.text
        hits = []
        for match in _SFS.finditer(text):
            law = registry.law_by_sfs(match.group("sfs"))
            start, end = match.start(), match.end()
            if law is None:
                hits += self._unknown_number(rule, options, registry, sentence, match, today)
                continue
            before = _BEFORE.search(text[max(0, start - 40):start])
            if before:
                start = start - len(text[max(0, start - 40):match.start()]) + before.start()
            written_short = before.group("short") if before else None
            named = before.group("named").lower() if before and before.group("named") else None
            title = _TITLE_AFTER.match(text[end:])
            title_text = title.group("title") if title else None
            if title:
                end += title.end()
            elif (title_before := _TITLE_BEFORE.search(text[max(0, start - 80):start])) is not None:
                title_text = title_before.group("title").split(None, 1)[1]
                start = start - len(text[max(0, start - 80):start]) + title_before.start()
            elif (short_after := _SHORT_AFTER.match(text[end:])) and short_after.group("short") in ("LOU", "LUF", "KL"):
                written_short = short_after.group("short")
                end += short_after.end()
            if text[start:end].count("(") > text[start:end].count(")") and end < len(text) and text[end] == ")":
                end += 1
            # The brackets around the number are no clause of their own: "Äldre hänvisningar till lag (2007:1091) …".
            frame = time_frame(_unbracketed(text, match.start(), match.end()), match.start(), match.end(), today)
            explanation, replacement = self._judge(registry, options, law, written_short, named,
                                                   title_text, frame.historical, today)
            if explanation is None and not frame.historical and not (written_short or named or title_text):
                # Only the words between this citation and its neighbours speak of what it is cited for.
                others = [m for m in _SFS.finditer(text) if m.start() != match.start()]
                begin = max((m.end() for m in others if m.end() <= match.start()), default=0)
                stop = min((m.start() for m in others if m.start() >= match.end()), default=len(text))
                if (joined := re.compile(r",\s*(?:och|men|samt)\b|;").search(text, match.end(), stop)) is not None:
                    stop = joined.start()     # "…, och föreningen registreras hos …" is another statement
                explanation, replacement = _other_laws_subject(registry, law, text[begin:stop])
            if explanation is None:
                continue
            hits.append(make_hit(rule, sentence.unit, sentence.start + start, sentence.start + end, replacement,
                                 fact=law.id, förklaring=explanation, **fact_fields(registry, law.id)))
        return hits

    @staticmethod
    def _replacements(rule: TextRule, registry: Registry, sentence: ClaimSentence) -> list[TextHit]:
        """Which law replaced which: "LOU (2016:1145) ersatte lag (2007:1092)" names LUF's predecessor."""
        text = sentence.text
        numbers = [(m, registry.law_by_sfs(m.group("sfs"))) for m in _SFS.finditer(text)]
        hits = []
        for (first, first_law), (second, second_law) in zip(numbers, numbers[1:]):
            if first_law is None or second_law is None:
                continue
            verb = _REPLACED.search(text, first.end(), second.start())
            if verb is None:
                continue
            new, old = (second_law, first_law) if verb.group("passive") else (first_law, second_law)
            if old.replaced_by is None or old.replaced_by == new.id:
                continue
            right = registry.law(old.replaced_by)
            wrong = second    # the law named last is the one that does not fit the first
            explanation = (f"stämmer inte: {old.citation()} ersattes av {right.citation()}, inte av {new.citation()}.")
            hits.append(make_hit(rule, sentence.unit, sentence.start + wrong.start(), sentence.start + wrong.end(), None,
                                 fact=old.id, förklaring=explanation, **fact_fields(registry, old.id)))
        return hits

    def _unknown_number(self, rule: TextRule, options: LawOptions, registry: Registry, sentence: ClaimSentence,
                        match: re.Match, today: date) -> list[TextHit]:
        """An SFS number the registry does not know, written with the title or
        name of a law it does know: the number is wrong ("Språklagen (2009:700)")."""
        text = sentence.text
        title = _TITLE_AFTER.match(text[match.end():])
        before = _BEFORE.search(text[max(0, match.start() - 40):match.start()])
        named = before.group("named").lower() if before and before.group("named") else None
        law: Law | None = None
        if title is not None:
            titled = _titled(registry, "lag om " + title.group("title")) or _titled(registry, title.group("title"))
            law = max(titled, key=lambda candidate: candidate.period.start or date.min) if titled else None
        elif named is not None and named in options.names:
            law = registry.law(options.names[named])
        if law is None and title is None and named is None and not _SHORT_AFTER.match(text[match.end():]):
            # Only a bare number can be a typo: "lagen (2016:1147) om upphandling av koncessioner" is another law.
            law = _mistyped(registry, match.group("sfs"), text)
        if law is None or time_frame(text, match.start(), match.end(), today).historical:
            return []
        current = registry.current_law(law.id, today)
        explanation = f"har fel nummer: {current.title} är {current.citation()}."
        return [make_hit(rule, sentence.unit, sentence.start + match.start(), sentence.start + match.end(),
                         current.sfs, fact=current.id, förklaring=explanation, **fact_fields(registry, current.id))]

    @staticmethod
    def _judge(registry: Registry, options: LawOptions, law: Law, short: str | None, named: str | None,
               title: str | None, historical: bool, today: date) -> tuple[str | None, str | None]:
        meant: Law | None = None
        if title is not None:
            titled = _titled(registry, "lag om " + title) or _titled(registry, title)
            if titled and law not in titled:
                meant = max(titled, key=lambda candidate: candidate.period.start or date.min)
            elif not titled and not historical and len(title.split()) <= 6:
                # A title no law in the registry has, with a number that belongs to another law.
                return (f"har fel titel: {law.sfs} är {law.citation()}" + (f" ({law.short})" if law.short else "")
                        + ".", law.citation())
        if meant is None and short is not None and law.short and short != law.short and short.lower() in options.names:
            meant = registry.law(options.names[short.lower()])
        if meant is None and named is not None and named in options.names:
            candidate = registry.law(options.names[named])
            same = candidate.sfs == law.sfs or (candidate.short is not None and candidate.short == law.short)
            meant = None if same else candidate
        if meant is not None:
            current = registry.current_law(meant.id, today)
            what = f"{law.citation()}" + (f" ({law.short})" if law.short else "")
            return (f"blandar ihop två lagar: {law.sfs} är {what}, inte {current.title}"
                    f"{' (' + current.short + ')' if current.short else ''}. Den lagen är {current.citation()}.",
                    current.citation())
        if historical or law.period.end is None or law.period.end >= today:
            return None, None
        current = registry.current_law(law.id, today)
        return (f"är upphävd: {law.citation()} gällde {law.period.describe()} och ersattes av "
                f"{current.citation()}.", current.citation() + (f" ({current.short})" if current.short else ""))

    def _years(self, rule: TextRule, options: LawOptions, registry: Registry, sentence: ClaimSentence,
               today: date) -> list[TextHit]:
        text = sentence.text
        hits = []
        for match in _YEAR_FORM.finditer(text):
            name = (match.group("name") or match.group("name2")).lower()
            year = int(match.group("year") or match.group("year2"))
            law_id = options.names.get(" ".join(name.split()))
            if law_id is None:
                continue
            family = registry.law(law_id)
            law = next((candidate for candidate in registry.laws
                        if candidate.titles() == family.titles() or (candidate.short and candidate.short == family.short)
                        if int(candidate.sfs[:4]) == year or (candidate.period.start and candidate.period.start.year == year)),
                       None)
            if law is None or law.period.end is None or law.period.end >= today:
                continue
            if time_frame(text, match.start(), match.end(), today).historical:
                continue
            current = registry.current_law(law.id, today)
            explanation = (f"är upphävd: {law.citation()} gällde {law.period.describe()} och ersattes av "
                           f"{current.citation()}.")
            hits.append(make_hit(rule, sentence.unit, sentence.start + match.start(), sentence.start + match.end(),
                                 current.citation(), fact=law.id, förklaring=explanation,
                                 **fact_fields(registry, law.id)))
        return hits

    def details(self, rule: TextRule) -> tuple[str, ...]:
        return tuple(f"{law.sfs} {law.title}" + (f" ({law.short})" if law.short else "") + f": {law.period.describe()}"
                     for law in load_registry().laws)


# "19 a kap.", "4 kap. 18 §", "2 kap. 8§", "17 kap. 2–5 §§"; in a law without chapters "11 §", "3–5 §§"
_PARAGRAPH = re.compile(r"(?<![\d§])(?P<ref>\d{1,2}\s*[a-z]?\s*kap\.?(?:\s*\d{1,3}\s*[a-z]?(?:\s*[–-]\s*\d{1,3})?\s*§{1,2})?"
                        r"|\d{1,3}\s*(?:[a-z](?![a-zåäö])\s*)?(?:[–-]\s*\d{1,3}\s*)?§{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class ParagraphOptions:
    names: dict[str, str]        # a law's name as drafts write it (lower case) → registry law id


class FactParagraphs(Kind[ParagraphOptions]):
    name = "paragraf"
    description = ("en paragraf som anges för ett ämne: numret ska vara det gällande lagens och ämnet ska stå där "
                   "(numreringen i LOU från 2007 stämmer inte i LOU 2016:1145)")
    fields = FactLaws.fields
    required = ("names",)
    message_fields = FACT_MESSAGE_FIELDS

    def prepare(self, entry: dict, fail: Fail) -> ParagraphOptions:
        return ParagraphOptions(FactLaws().prepare(entry, fail).names)

    def check(self, rule: TextRule, texts: Texts, facts: DraftFacts) -> list[TextHit]:
        options = self.options(rule)
        registry = load_registry()
        hits: list[TextHit] = []
        for sentence in sentences(texts):
            text = sentence.text
            if "kap" not in text and "§" not in text:
                continue
            citations = list(_PARAGRAPH.finditer(text))
            # With one citation in the sentence the narrowest subject of its clause is what it cites; with
            # several, each may belong to another subject ("4 kap. 18 § …, och för idéburna 19 kap. 25 a §").
            single = len(citations) == 1
            for match in citations:
                law_id = self._law_named(options, registry, text, match.end(), facts.today)
                if law_id is None:
                    continue
                ref = _ref(match.group("ref"))
                if ref is None or time_frame(text, match.start(), match.end(), facts.today).historical:
                    continue
                lowered = text.lower()
                judged = self._judge(registry, law_id, ref, lowered,
                                     _clause(lowered, match.start(), match.end()) if single else None)
                if judged is None:
                    continue
                explanation, right, paragraph = judged  # right: the reference to write, when there is one
                hits.append(make_hit(rule, sentence.unit, sentence.start + match.start(), sentence.start + match.end(),
                                     right, fact=paragraph.id, förklaring=explanation,
                                     **fact_fields(registry, paragraph.id)))
        return hits

    @staticmethod
    def _law_named(options: ParagraphOptions, registry: Registry, text: str, after: int, today: date) -> str | None:
        """The law a reference at `after` belongs to: named right after it ("4 kap. 3 § LOU",
        "… § lagen om offentlig upphandling") or by an SFS number in the sentence."""
        following = text[after:after + 60].lower()
        for name, law_id in sorted(options.names.items(), key=lambda item: -len(item[0])):
            if re.match(rf"\s*(?:i\s+|enligt\s+)?(?:(?:nu\s+)?(?:gällande|dagens|nuvarande)\s+)?(?:\(|\b){re.escape(name)}\b",
                        following):   # "1 kap. 17 § i nu gällande LOU"
                return law_id
        for match in _SFS.finditer(text):
            law = registry.law_by_sfs(match.group("sfs"))
            if law is not None:
                return law.id
        return None

    @staticmethod
    def _judge(registry: Registry, law_id: str, ref: Ref, lowered: str,
               clause: str | None) -> tuple[str, str | None, Paragraph] | None:
        """What is wrong with citing `ref` of the law in a sentence (`lowered`), if anything.
        `clause` is the citation's own clause when it is the sentence's only citation."""
        law = registry.law(law_id)
        if law.period.end is not None:
            return None      # a repealed law's own numbering: the `lag` rule reports the law
        paragraphs = [p for p in registry.paragraphs if p.law == law_id]
        chapterless = bool(paragraphs) and all(p.ref.chapter is None for p in paragraphs)
        if (ref.chapter is None) != chapterless:
            return None      # "18 §" of a law with chapters says too little; a chapter of a law without says nothing
        lowered = law.without_titles(lowered)
        subjects = [p for p in paragraphs if any(w in lowered for w in p.words)]
        cited = [p for p in paragraphs if p.written_at(ref)]
        narrowest = _narrowest(subjects, law.without_titles(clause)) if clause is not None else None
        if narrowest is not None and ref.paragraph is not None and not narrowest.written_at(ref) \
                and not any(p.written_at(ref) for p in subjects if narrowest.id not in p.narrows and p is not narrowest
                            and p.id not in narrowest.narrows):
            # "Dokumentationsplikten för direktupphandlingar finns i 19 a kap. 1 §": the documentation
            # duty is meant, not direct awards in general, and it stands in 19 a kap. 11 §.
            places = sorted({place.text() for place in (narrowest.ref, *narrowest.also)})
            where = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " eller " + places[-1]
            return (f"är inte platsen för {narrowest.subject}: det står i {where} {law.label()}.",
                    narrowest.ref.text(), narrowest)
        stale = [p for p in paragraphs for old_law, old_ref in p.old if ref.overlaps(old_ref)]
        if stale and not cited and (ref.paragraph is not None or any(p in subjects for p in stale)):
            # A chapter alone ("15 kap.") counts only with its old subject in the sentence. The numbering of the law this one replaced. The sentence's subject says where to look now;
            # without one, the paragraph the old number held.
            meant = subjects[0] if len({p.ref for p in subjects}) == 1 else stale[0]
            repealed = registry.law(next(old_law for old_law, old_ref in meant.old) if meant.old else stale[0].old[0][0])
            return (f"är numreringen i {repealed.citation()}, som upphävdes {repealed.period.end}. "
                    f"I {law.citation()} står {meant.subject} i {meant.ref.text()}.", meant.ref.text(), meant)
        # A subject cited at a paragraph the registry does not know: wrong when the subject's own
        # place is elsewhere – in another chapter (neighbouring paragraphs of a chapter often share
        # a subject) or, in a law without chapters, another paragraph.
        if not cited and ref.paragraph is not None and clause is not None:
            # A subject the registry places at one paragraph, cited at another paragraph of the same
            # chapter ("reserverade kontrakt … 4 kap. 17 §"), with the subject's own words in the
            # citation's clause: neighbouring paragraphs that share a subject are listed under `also`.
            clause_text = law.without_titles(clause)
            misplaced = [p for p in subjects if p.ref.paragraph is not None and p.ref.chapter == ref.chapter
                         and any(w in clause_text for w in (p.named_by or p.words))]
            if len(misplaced) == 1:
                meant = misplaced[0]
                places = sorted({place.text() for place in (meant.ref, *meant.also)})
                where = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " eller " + places[-1]
                return (f"är inte platsen för {meant.subject}: det står i {where} {law.label()}.",
                        meant.ref.text(), meant)
        elsewhere = not cited and ref.paragraph is not None and subjects and not any(
            place.chapter == ref.chapter and (not chapterless or place.paragraph == ref.paragraph)
            for p in subjects for place in (p.ref, *p.also))
        if elsewhere:
            refs = sorted({p.ref.text() for p in subjects})
            where = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " eller " + refs[-1]
            return (f"är inte platsen för {subjects[0].subject}: det står i {where} {law.label()}.",
                    refs[0] if len(refs) == 1 else None, subjects[0])
        if cited and subjects and not any(p in subjects for p in cited):
            refs = sorted({p.ref.text() for p in subjects})
            where = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " eller " + refs[-1]
            return (f"handlar om {cited[0].subject}. {subjects[0].subject.capitalize()} står i {where} "
                    f"{law.short or law.citation()}.", refs[0] if len(refs) == 1 else None, cited[0])
        return None


def _narrowest(subjects: list[Paragraph], clause: str) -> Paragraph | None:
    """The subject a clause speaks of when its words name both a subject and a narrower
    part of it: the narrower one, named by its own words (`named_by`, else `words`)."""
    named = [p for p in subjects if any(w in clause for w in (p.named_by or p.words))]
    narrower = [p for p in named if any(q.id in p.narrows for q in subjects)]
    innermost = [p for p in narrower if not any(p.id in q.narrows for q in narrower)]
    return innermost[0] if len(innermost) == 1 else None


# Where one clause of a sentence ends: a semicolon or colon, or a comma before a new clause.
_CLAUSE_END = re.compile(r"[;:]|,\s+(?:och|men|medan|eller|samt|där|vilket)\b|\s[–—]\s")


def _clause(lowered: str, start: int, end: int) -> str:
    """The clause of the sentence that holds the span start–end."""
    before = [m.end() for m in _CLAUSE_END.finditer(lowered, 0, start)]
    after = _CLAUSE_END.search(lowered, end)
    return lowered[before[-1] if before else 0:after.start() if after else len(lowered)]


def _ref(text: str) -> Ref | None:
    """A cited reference as the registry writes it ("17 kap. 2–5 §§" → 17 kap. 2 §)."""
    return parse_ref(re.sub(r"\s*[–-]\s*\d{1,3}", "", text).replace("§§", "§"))
