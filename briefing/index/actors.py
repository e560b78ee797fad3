"""Actors and paragraph texts -> actor mentions (whole-word, leftmost-longest), plus coverage reports.

All aliases of all actors go into one Aho-Corasick automaton, so finding mentions costs time in
proportion to the length of the text, not to text length times the number of aliases.

Matching rules:

- whole words only: a match may not start or end between two word characters (``str.isalnum``
  or a combining mark); hyphens, dashes, slashes and apostrophes are boundaries, so
  "Moscow-Baku" gives Moscow and Baku, and "Azerbaijan’s" gives Azerbaijan without the ’s;
- leftmost-longest, non-overlapping: at each position the longest alias that passes the
  boundary test wins, so "Nagorno-Karabakh Republic" beats "Nagorno-Karabakh" beats "Karabakh";
- case-sensitive, except that an alias starting with a lowercase letter also matches with that
  letter upper-cased ("the EU" matches "The EU" at the start of a sentence);
- ’ (U+2019) and ' are the same character, in aliases and in texts.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import ahocorasick

from briefing.errors import SourceError, fail
from briefing.model import Actor, Mention

ACTORS_PATH = "content/actors.yaml"

_FIRST_COMBINING_MARK = "\u0300"  # no combining mark comes before this code point

# Capitalised words that start sentences or name dates rather than actors.
# fmt: off
_STOP_WORDS = frozenset(
    (
        # function words and sentence adverbs
        "A", "About", "Above", "According", "After", "Again", "Against", "All", "Also", "Although",
        "Among", "An", "And", "Another", "Any", "As", "At", "Because", "Before", "Being", "Below",
        "Between", "Both", "But", "By", "Can", "Could", "Despite", "Did", "Do", "Does", "During",
        "Each", "Either", "Even", "Every", "For", "From", "Further", "Had", "Has", "Have", "He",
        "Her", "Here", "Hers", "His", "How", "However", "If", "In", "Indeed", "Instead", "Into",
        "Is", "It", "Its", "Many", "Meanwhile", "Might", "More", "Moreover", "Most", "Much", "Must",
        "My", "Neither", "Never", "Nevertheless", "No", "Nonetheless", "Nor", "Not", "Now", "Of",
        "On", "Once", "One", "Only", "Or", "Other", "Our", "Over", "Perhaps", "Rather", "Several",
        "She", "Should", "Since", "So", "Some", "Still", "Such", "Than", "That", "The", "Their",
        "Them", "Then", "There", "Therefore", "These", "They", "This", "Those", "Though", "Through",
        "Thus", "To", "Today", "Under", "Unless", "Until", "Upon", "We", "Were", "What", "When",
        "Where", "Whether", "Which", "While", "Who", "Whom", "Whose", "Why", "Will", "With",
        "Within", "Without", "Would", "Yet", "You", "Your",
        # months and weekdays
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
        "Saturday", "Sunday",
    )
)
# fmt: on

# A word for the name report: letters/digits, possibly joined by an apostrophe ("O’Neill", "Baku’s").
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_POSSESSIVES = ("'s", "\u2019s")
_SENTENCE_END = ".!?"
_OPENERS = "\"'“‘([«"


@dataclass(frozen=True, slots=True)
class ActorMatcher:
    """Every alias of every actor in one automaton; build once with ``build_matcher``, reuse per text.

    ``aliases`` lists ``(actor_id, alias)`` in actor order, as written in the actor file (the
    canonical name first, then aliases, then per-side names). The automaton maps each normalised
    search key to ``(actor_id, alias, key_length)``; it is ``None`` when there is no alias at all.
    """

    aliases: tuple[tuple[str, str], ...]
    automaton: ahocorasick.Automaton | None = field(default=None, compare=False, repr=False)


class _Match(NamedTuple):
    """One chosen mention (a named tuple: one is made per mention, three times faster than a dataclass)."""

    start: int
    end: int
    actor: str
    alias: str


def build_matcher(actors: Sequence[Actor]) -> ActorMatcher:
    """Compile all names and aliases of ``actors`` into one automaton.

    Raises ``SourceError`` (at the later actor's span) when one alias belongs to two actors,
    comparing aliases with ’ and ' taken as equal, or when an alias is empty.
    """
    owners: dict[str, tuple[str, str]] = {}  # normalised alias -> (actor_id, alias)
    for actor in actors:
        for alias in actor.all_names():
            _claim(owners, actor, alias)
    keys = _search_keys(owners)
    aliases = tuple(owners.values())
    return ActorMatcher(aliases, _compile(keys) if keys else None)


def _claim(owners: dict[str, tuple[str, str]], actor: Actor, alias: str) -> None:
    """Record ``alias`` for ``actor``; the same spelling in another actor is an error."""
    if not alias.strip():
        raise _actor_error(actor, f"actor {actor.id!r} has an empty alias; expected a name")
    key = _normalise(alias)
    owner = owners.get(key)
    if owner is None:
        owners[key] = (actor.id, alias)
    elif owner[0] != actor.id:
        raise _actor_error(
            actor,
            f"alias {alias!r} of actor {actor.id!r} is already an alias of actor {owner[0]!r}; "
            "expected each alias to name one actor",
        )


def _actor_error(actor: Actor, message: str) -> SourceError:
    if actor.span is None:
        return fail(ACTORS_PATH, 1, 1, message)
    return fail(actor.span.path, actor.span.line, actor.span.col, message)


def _search_keys(owners: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Add the capitalised form of lowercase-initial aliases; a spelling written out wins."""
    keys: dict[str, tuple[str, str]] = {}
    for key, owner in owners.items():
        variant = _capitalised(key)
        if variant is not None and variant not in owners:
            keys.setdefault(variant, owner)
    keys.update(owners)
    return keys


def _capitalised(key: str) -> str | None:
    first = key[0]
    upper = first.upper()
    # Skip letters whose upper case is longer ("ß" -> "SS"): offsets must stay one-for-one.
    if not first.islower() or len(upper) != 1:
        return None
    return upper + key[1:]


def _compile(keys: dict[str, tuple[str, str]]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
    for key in sorted(keys):  # sorted: the same actors build the same automaton
        actor_id, alias = keys[key]
        automaton.add_word(key, (actor_id, alias, len(key)))
    automaton.make_automaton()
    return automaton


def _normalise(text: str) -> str:
    # One-for-one replacement keeps every offset of the normalised text valid in the original.
    return text.replace("\u2019", "'")


def _is_word_char(char: str) -> bool:
    """True for characters that continue a word: letters, digits and combining marks."""
    # The range test spares the category lookup for ASCII punctuation and spaces, the usual case.
    return char.isalnum() or (char >= _FIRST_COMBINING_MARK and unicodedata.category(char).startswith("M"))


def _at_boundary(text: str, index: int) -> bool:
    """True when ``index`` does not fall between two word characters of ``text``."""
    if index <= 0 or index >= len(text):
        return True
    return not (_is_word_char(text[index - 1]) and _is_word_char(text[index]))


def find_mentions(matcher: ActorMatcher, text: str) -> tuple[tuple[str, int, int], ...]:
    """``(actor_id, start, end)`` for every mention in ``text``, sorted by ``start``.

    ``text[start:end]`` is the alias as written in the text. Never raises.
    """
    return tuple((m.actor, m.start, m.end) for m in _select(matcher, text))


def _select(matcher: ActorMatcher, text: str) -> list[_Match]:
    """Leftmost-longest choice among all whole-word matches."""
    if matcher.automaton is None or not text:
        return []
    # Sorting by (start, -length) puts the longest valid match first at each start; a
    # longer match that failed the boundary test is already gone, so a shorter one takes its place.
    candidates = sorted(_candidates(matcher.automaton, _normalise(text)))
    chosen: list[_Match] = []
    reached = 0
    for start, negative_length, actor_id, alias in candidates:
        if start >= reached:
            reached = start - negative_length
            chosen.append(_Match(start, reached, actor_id, alias))
    return chosen


def _candidates(automaton: ahocorasick.Automaton, text: str) -> Iterator[tuple[int, int, str, str]]:
    """Every key occurrence that starts and ends on a word boundary, as (start, -length, actor, alias)."""
    for last, (actor_id, alias, length) in automaton.iter(text):
        start, end = last + 1 - length, last + 1
        if _at_boundary(text, start) and _at_boundary(text, end):
            yield start, -length, actor_id, alias


def mentions_in(
    matcher: ActorMatcher, briefing_slug: str, targets: Iterable[tuple[str, str]]
) -> tuple[Mention, ...]:
    """Mentions in ``(paragraph_id, text)`` pairs (body "p1".., notes "fn1".., "bio"), in target order."""
    return tuple(
        Mention(m.actor, briefing_slug, paragraph_id, m.start, m.end, text[m.start : m.end])
        for paragraph_id, text in targets
        for m in _select(matcher, text)
    )


def unmatched_aliases(matcher: ActorMatcher, texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(actor_id, alias)`` pairs, in actor-file order, that no mention in ``texts`` was made from.

    An alias that only occurs inside a longer alias (or only inside a longer word) counts as unmatched.
    """
    used = {(m.actor, m.alias) for text in texts for m in _select(matcher, text)}
    return tuple(pair for pair in matcher.aliases if pair not in used)


# --- names the index does not cover ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str


def unindexed_names(matcher: ActorMatcher, text: str) -> tuple[tuple[str, int], ...]:
    """Capitalised names in ``text`` that no mention covers, as ``(name, first offset)``, sorted by name.

    A name is a run of capitalised words of two or more characters ("Caucasian Knot", "Gyumri",
    "CSTO") joined by spaces or hyphens. Words inside a mention, stop words (function words,
    months, weekdays) and a possessive ’s are left out; a lone word that only ever stands at the
    start of a sentence is left out too ("Having", "Finally"): a name shows up mid-sentence somewhere.
    """
    mentions = find_mentions(matcher, text)
    starts = [start for _, start, _ in mentions]
    first: dict[str, int] = {}
    mid_sentence: set[str] = set()
    for run in _capitalised_runs(text):
        for name_words in _split_run(run, starts, mentions):
            name = text[name_words[0].start : name_words[-1].end]
            first.setdefault(name, name_words[0].start)
            if len(name_words) > 1 or not _opens_sentence(text, name_words[0].start):
                mid_sentence.add(name)
    # A lone word seen only at sentence starts ("Having", "Finally") is an ordinary word capitalised.
    return tuple(sorted((n, at) for n, at in first.items() if n in mid_sentence))


def _capitalised_words(text: str) -> Iterator[_Word]:
    """Words that start with a capital, without a possessive ’s."""
    for match in _WORD.finditer(text):
        word = match.group()
        if word[0].isupper():
            if word[-2:] in _POSSESSIVES:
                word = word[:-2]
            yield _Word(match.start(), match.start() + len(word), word)


def _capitalised_runs(text: str) -> Iterator[list[_Word]]:
    """Maximal runs of capitalised words separated only by a space or a hyphen."""
    run: list[_Word] = []
    for word in _capitalised_words(text):
        # A lowercase word between two capitalised ones is inside the gap, so the gap breaks the run.
        if run and not _joins(text[run[-1].end : word.start]):
            yield from _flush(run)
        run.append(word)
    yield from _flush(run)


def _flush(run: list[_Word]) -> Iterator[list[_Word]]:
    if run:
        yield list(run)
        run.clear()


def _joins(gap: str) -> bool:
    return gap == "-" or (gap != "" and gap.isspace() and "\n" not in gap)


def _split_run(
    run: list[_Word], starts: list[int], mentions: tuple[tuple[str, int, int], ...]
) -> Iterator[list[_Word]]:
    """Parts of a run between words that are too short, stop words, or inside a mention."""
    part: list[_Word] = []
    for word in run:
        if len(word.text) < 2 or word.text in _STOP_WORDS or _covered(word, starts, mentions):
            yield from _flush(part)
        else:
            part.append(word)
    yield from _flush(part)


def _covered(word: _Word, starts: list[int], mentions: tuple[tuple[str, int, int], ...]) -> bool:
    # Mentions do not overlap, so only the last one starting before the word's end can reach into it.
    index = bisect.bisect_left(starts, word.end) - 1
    return index >= 0 and mentions[index][2] > word.start


def _opens_sentence(text: str, index: int) -> bool:
    """Sentence-initial, except after an initial ("R.N. Pukhov", "A. Smith"): that full stop ends no sentence."""
    if not _sentence_initial(text, index):
        return False
    before = text[max(0, index - 8) : index].rstrip()[-3:]
    return not (len(before) >= 2 and before[-1] == "." and before[-2].isupper() and not before[:-2][-1:].isalpha())


def _sentence_initial(text: str, index: int) -> bool:
    """True when only spaces and opening quotes/brackets stand between a sentence end and ``index``."""
    # A backward scan, not a slice of everything before: the text may be megabytes long.
    while index > 0 and (text[index - 1].isspace() or text[index - 1] in _OPENERS):
        index -= 1
    return index == 0 or text[index - 1] in _SENTENCE_END
