"""The site-wide index made from tallies equals the index of the whole, and loads only what is asked."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.index.crossref import BriefingIndex, group, group_lazily, tally
from briefing.model import Mention, Passage

IDS = st.sampled_from(["a", "b", "c-d", "e1"])
WHERE = st.tuples(IDS, st.sampled_from(["p1", "p2", "fn1", "bio"]), st.integers(0, 50), st.integers(0, 50))


@st.composite
def indexes(draw: st.DrawFn) -> tuple[BriefingIndex, ...]:
    found = []
    for slug in draw(st.lists(st.sampled_from(["s1", "s2", "s3", "s4", "s5"]), unique=True)):
        mentions = tuple(Mention(a, slug, p, s, e, f"{a}{s}") for a, p, s, e in draw(st.lists(WHERE, max_size=8)))
        passages = tuple(Passage(v, slug, p, s, e, f"{v}{e}") for v, p, s, e in draw(st.lists(WHERE, max_size=8)))
        found.append(BriefingIndex(slug, mentions, (), passages))
    return tuple(found)


@settings(max_examples=300, deadline=None)
@given(indexes(), st.lists(IDS, max_size=3))
def test_the_index_from_tallies_holds_what_the_briefings_hold(
    found: tuple[BriefingIndex, ...], asked: list[str]
) -> None:
    by_slug = {b.slug: b for b in found}
    loads: list[str] = []

    def load(slug: str) -> BriefingIndex:
        loads.append(slug)
        return by_slug[slug]

    lazy = group_lazily([tally(b) for b in found], load)
    # Counts, stated over the briefings: per id, (briefing, how many) in site order, briefings without none.
    for kind, items in (("actor", lambda b: [(m.actor, m) for m in b.mentions]),
                        ("event", lambda b: [(p.event, p) for p in b.passages])):
        expected: dict[str, list[tuple[str, int]]] = {}
        for b in found:
            for key, n in Counter(k for k, _ in items(b)).items():
                expected.setdefault(key, []).append((b.slug, n))
        counts = lazy.actor_counts if kind == "actor" else lazy.event_counts
        assert {k: list(v) for k, v in counts.items()} == expected
    assert loads == []  # counting loaded nothing
    for a in asked:
        if a in lazy.actor_counts:
            assert lazy.by_actor[a] == tuple(m for b in found for m in b.mentions if m.actor == a)
            naming = {b.slug for b in found if any(m.actor == a for m in b.mentions)}
            assert naming <= set(loads)
    assert set(loads) <= {b.slug for b in found if any(m.actor in asked for m in b.mentions)}
    for e in lazy.event_counts:
        assert lazy.by_event[e] == tuple(p for b in found for p in b.passages if p.event == e)
    for b in found:
        for a in {m.actor for m in b.mentions}:
            assert lazy.mentions_in(b.slug, a) == tuple(m for m in b.mentions if m.actor == a)
    assert len(loads) == len(set(loads))  # each briefing loaded once
    assert lazy.of("not-a-briefing") == BriefingIndex("not-a-briefing", (), (), ())
    whole = group(found)
    assert (whole.slugs, whole.actor_counts, whole.event_counts) == (lazy.slugs, lazy.actor_counts, lazy.event_counts)
    assert dict(whole.by_actor) == dict(lazy.by_actor) and whole.briefings == found
