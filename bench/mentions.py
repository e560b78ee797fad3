"""Synthetic actors and briefings (seeded) -> a printed table of mention-finding times.

Run by hand from the project root: ``python -m bench.mentions``. Not part of the test suite.
It shows that finding mentions costs time in proportion to the text (ms per 1,000 words stays flat
as the number of briefings grows) and grows far slower than the number of aliases.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from briefing.index.actors import ActorMatcher, build_matcher, find_mentions
from briefing.model import Actor

T = TypeVar("T")

SEED = 20211110
ACTORS = 200
ALIASES_PER_ACTOR = 10
WORDS_PER_BRIEFING = 2_500
BRIEFING_COUNTS = (100, 250, 500, 1_000)
ALIAS_COUNTS = (500, 2_000, 8_000)  # second table: same text, more aliases
REPEATS = 3  # each time is the best of this many runs, to damp noise from other processes
MENTION_RATE = 0.04  # share of word slots that hold an alias
SYLLABLES = (
    "ba",
    "ku",
    "ar",
    "me",
    "ni",
    "az",
    "er",
    "bai",
    "jan",
    "ka",
    "rab",
    "akh",
    "sy",
    "un",
    "ik",
    "lo",
)


@dataclass(frozen=True, slots=True)
class Corpus:
    actors: tuple[Actor, ...]
    texts: tuple[str, ...]
    words: tuple[int, ...]  # word count per text


def make_word(rng: random.Random, capital: bool) -> str:
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))
    return word.capitalize() if capital else word


def make_alias(rng: random.Random) -> str:
    shape = rng.random()
    if shape < 0.5:
        return make_word(rng, True)
    if shape < 0.75:
        return f"{make_word(rng, True)} {make_word(rng, True)}"
    if shape < 0.9:
        return f"{make_word(rng, True)}-{make_word(rng, True)}"
    return f"the {make_word(rng, True)} {make_word(rng, False)}"


def make_actors(rng: random.Random, actors: int, per_actor: int) -> tuple[Actor, ...]:
    seen: set[str] = set()
    result = []
    for n in range(actors):
        names: list[str] = []
        while len(names) < per_actor:
            alias = make_alias(rng)
            capitalised = alias[0].upper() + alias[1:]
            if alias not in seen and capitalised not in seen:  # unique, also as the matcher sees them
                seen.update((alias, capitalised))
                names.append(alias)
        result.append(Actor(f"actor-{n}", names[0], "group", "synthetic", tuple(names[1:])))
    return tuple(result)


def make_text(rng: random.Random, aliases: list[str], vocabulary: list[str]) -> tuple[str, int]:
    parts: list[str] = []
    words = 0
    while words < WORDS_PER_BRIEFING:
        if rng.random() < MENTION_RATE:
            alias = rng.choice(aliases)
            parts.append(alias + rng.choice(("", "", "’s", ",", ".")))
            words += alias.count(" ") + 1
        else:
            parts.append(rng.choice(vocabulary) + rng.choice(("",) * 8 + (",", ".")))
            words += 1
    return " ".join(parts), words


def make_corpus(briefings: int, actors: int, per_actor: int) -> Corpus:
    rng = random.Random(SEED)
    cast = make_actors(rng, actors, per_actor)
    aliases = [name for a in cast for name in a.all_names()]
    vocabulary = [make_word(rng, rng.random() < 0.1) for _ in range(5_000)]
    made = [make_text(rng, aliases, vocabulary) for _ in range(briefings)]
    return Corpus(cast, tuple(t for t, _ in made), tuple(w for _, w in made))


def time_ms(function: Callable[..., T], *args: object) -> tuple[float, T]:
    """Best wall time of ``REPEATS`` calls, in ms, and the last result."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return best * 1000, result


def find_all(matcher: ActorMatcher, texts: tuple[str, ...]) -> int:
    return sum(len(find_mentions(matcher, text)) for text in texts)


def scaling_table() -> None:
    corpus = make_corpus(max(BRIEFING_COUNTS), ACTORS, ALIASES_PER_ACTOR)
    build_ms, matcher = time_ms(build_matcher, corpus.actors)
    aliases = sum(len(a.all_names()) for a in corpus.actors)
    print(f"{len(corpus.actors)} actors, {aliases} aliases; automaton built in {build_ms:.1f} ms\n")
    print(f"{'briefings':>9} {'words':>11} {'chars':>12} {'mentions':>9} {'find ms':>10} {'ms/1k words':>12}")
    for count in BRIEFING_COUNTS:
        texts = corpus.texts[:count]
        words = sum(corpus.words[:count])
        find_ms, mentions = time_ms(find_all, matcher, texts)
        chars = sum(len(t) for t in texts)
        per_1k = find_ms / words * 1000
        print(f"{count:>9} {words:>11,} {chars:>12,} {mentions:>9,} {find_ms:>10.1f} {per_1k:>12.4f}")


def alias_table() -> None:
    print(f"\n{BRIEFING_COUNTS[0]} briefings, more aliases (cost grows far slower than the alias count):\n")
    print(f"{'aliases':>9} {'build ms':>10} {'find ms':>10} {'ms/1k words':>12}")
    for total in ALIAS_COUNTS:
        corpus = make_corpus(BRIEFING_COUNTS[0], ACTORS, total // ACTORS)
        build_ms, matcher = time_ms(build_matcher, corpus.actors)
        find_ms, _ = time_ms(find_all, matcher, corpus.texts)
        print(f"{total:>9} {build_ms:>10.1f} {find_ms:>10.1f} {find_ms / sum(corpus.words) * 1000:>12.4f}")


def main() -> None:
    print(f"Python {sys.version.split()[0]}, seed {SEED}, ~{WORDS_PER_BRIEFING:,} words per briefing\n")
    scaling_table()
    alias_table()


if __name__ == "__main__":
    main()
