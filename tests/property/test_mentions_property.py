"""Property tests for briefing.index.actors: aliases inserted between filler words -> found where inserted."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.actors import build_matcher, find_mentions, unindexed_names
from briefing.model import Actor

# Alias words use capitals and the letters a-m; filler words use n-z, digits and other lowercase
# letters, so no filler word can be, or extend, an alias word. Insertions are always separated by
# at least one filler word, so each inserted alias is the leftmost and longest match in its block.
ALIAS_LOWER = "abcdefghijklm"
FILLER_CHARS = "nopqrstuvwxyz0123456789éøßçğ"
SEPARATORS = (" ", "-", "–", "—", ", ", "; ", " (", ") ", "/", " “", "” ", "\n", "\u200f", "\x00")
POSSESSIVES = ("", "", "’s", "'s")

capital_word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    st.text(alphabet=ALIAS_LOWER, min_size=1, max_size=6),
)
lower_word = st.text(alphabet=ALIAS_LOWER, min_size=2, max_size=5)
alias_text = st.one_of(
    capital_word,
    st.builds(lambda a, b: f"{a} {b}", capital_word, capital_word),
    st.builds(lambda a, b: f"{a}-{b}", capital_word, capital_word),
    st.builds(lambda a, b: f"{a}’{b}", capital_word, st.text(alphabet=ALIAS_LOWER, min_size=1, max_size=3)),
    st.builds(lambda a, b: f"{a} {b}", lower_word, capital_word),  # "the EU"-like
    st.builds(
        lambda a: f"{a[0]}.{a[1]}.", st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
    ),
)
filler_word = st.text(alphabet=FILLER_CHARS, min_size=1, max_size=8)


def identity(alias: str) -> str:
    """The spelling the matcher cannot tell apart: apostrophes unified, first letter capitalised."""
    alias = alias.replace("’", "'")
    return alias[0].upper() + alias[1:]


@dataclass(frozen=True)
class Insertion:
    actor: str
    alias: str
    written: str  # as placed in the text (apostrophe form and case may differ from ``alias``)
    start: int


@st.composite
def scenes(draw: st.DrawFn) -> tuple[list[Actor], str, list[Insertion]]:
    aliases = draw(st.lists(alias_text, min_size=1, max_size=12, unique_by=identity))
    owners = [draw(st.integers(0, 3)) for _ in aliases]
    actors = [
        Actor(
            f"actor{n}",
            f"Name{n}",
            "group",
            "generated",
            tuple(a for a, o in zip(aliases, owners, strict=True) if o == n),
        )
        for n in range(4)
    ]
    parts: list[str] = [_filler(draw, aliases)]
    insertions: list[Insertion] = []
    for _ in range(draw(st.integers(0, 12))):
        index = draw(st.integers(0, len(aliases) - 1))
        written = _as_written(draw, aliases[index])
        parts.append(draw(st.sampled_from(SEPARATORS)))
        insertions.append(Insertion(f"actor{owners[index]}", aliases[index], written, len("".join(parts))))
        parts += [written, draw(st.sampled_from(POSSESSIVES)), draw(st.sampled_from(SEPARATORS))]
        parts.append(_filler(draw, aliases))
    return actors, "".join(parts), insertions


def _filler(draw: st.DrawFn, aliases: list[str]) -> str:
    """A filler word, or a decoy: an alias glued to filler letters on both sides, which must not match.

    Every word start and word end inside a decoy touches a filler letter, and aliases hold none.
    """
    if draw(st.booleans()):
        return draw(filler_word)
    glue = st.sampled_from(FILLER_CHARS)
    return draw(glue) + _as_written(draw, draw(st.sampled_from(aliases))) + draw(glue)


def _as_written(draw: st.DrawFn, alias: str) -> str:
    if draw(st.booleans()):
        alias = alias.replace("’", "'")
    if alias[0].islower() and draw(st.booleans()):
        alias = alias[0].upper() + alias[1:]
    return alias


def is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def on_boundary(text: str, index: int) -> bool:
    return index in (0, len(text)) or not (is_word_char(text[index - 1]) and is_word_char(text[index]))


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_every_inserted_alias_is_found_where_it_was_inserted(
    scene: tuple[list[Actor], str, list[Insertion]],
) -> None:
    actors, text, insertions = scene
    result = find_mentions(build_matcher(actors), text)
    expected = [(i.actor, i.start, i.start + len(i.written)) for i in insertions]
    assert list(result) == expected
    assert [text[start:end] for _, start, end in result] == [i.written for i in insertions]


@settings(max_examples=300, deadline=None)
@given(scenes())
def test_mentions_are_sorted_disjoint_and_on_word_boundaries(
    scene: tuple[list[Actor], str, list[Insertion]],
) -> None:
    actors, text, _ = scene
    result = find_mentions(build_matcher(actors), text)
    for _, start, end in result:
        assert 0 <= start < end <= len(text)
        assert on_boundary(text, start) and on_boundary(text, end)
    for (_, _, end), (_, next_start, _) in itertools.pairwise(result):
        assert end <= next_start


@st.composite
def wild_texts(draw: st.DrawFn) -> tuple[list[str], str]:
    """Arbitrary aliases, and arbitrary text with some of those aliases spliced in."""
    aliases = [a for a in draw(st.lists(st.text(min_size=1, max_size=8), max_size=8)) if a.strip()]
    pieces = st.one_of(st.text(max_size=6), st.sampled_from(aliases)) if aliases else st.text(max_size=6)
    return aliases, "".join(draw(st.lists(pieces, max_size=12)))


@settings(max_examples=300, deadline=None)
@given(wild_texts())
def test_arbitrary_aliases_and_text_never_raise(wild: tuple[list[str], str]) -> None:
    aliases, text = wild  # an empty alias is a (unit-tested) data error, so none is generated
    matcher = build_matcher([Actor("x", "X", "group", "generated", tuple(aliases))])
    result = find_mentions(matcher, text)
    for (_, _, end), (_, next_start, _) in itertools.pairwise(result):
        assert end <= next_start
    for _, start, end in result:
        assert on_boundary(text, start) and on_boundary(text, end)
    for name, offset in unindexed_names(matcher, text):
        assert text[offset : offset + len(name)] == name
        assert all(offset + len(name) <= start or end <= offset for _, start, end in result)
