"""Actors + the index -> contexts of the actor index page and one page per actor."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

from markupsafe import Markup

from briefing.index.crossref import Index
from briefing.model import ACTOR_TYPES, Actor, BriefingSummary, Mention, compact_pickle
from briefing.render.briefing_view import briefing_path
from briefing.render.chrome import Settings, href
from briefing.render.markup import escape_html

TYPE_LABELS = {
    "person": "People",
    "state": "States and de facto entities",
    "organisation": "Organisations",
    "party": "Parties and alliances",
    "place": "Places",
    "group": "Groups",
}
CONTEXT_CHARS = 70
OFTEN_WITH = 8
# Up to this many briefings, site-wide tables give each briefing a column; beyond it a row per
# briefing-column would make those pages grow with N x rows, so they show totals instead.
PER_BRIEFING_COLUMNS = 4
NAMES_SHOWN = 3  # briefings named in a "used by" or "discussed in" label before "and K more"


# Page views are made, rendered and dropped, never compared or printed: eq=False and repr=False spare
# the generated __eq__, __hash__ and __repr__, whose making is a good part of start-up (bench/README.md).
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ActorRow:
    id: str
    name: str
    href: str
    description: str
    counts: tuple[int, ...]  # one per briefing, in site order (empty when there are many briefings)
    briefings: int  # how many briefings name the actor
    total: int
    search_text: str  # name and aliases, lowercased, for the filter box


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class TypeGroup:
    type: str
    label: str
    rows: tuple[ActorRow, ...]


@compact_pickle  # in the compare rows the store keeps
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BriefingColumn:
    slug: str
    short: str  # author surname or short title for table headers
    title: str
    href: str


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ActorsIndexPage:
    briefings: tuple[BriefingColumn, ...]  # a count column each; empty when there are many briefings
    groups: tuple[TypeGroup, ...]
    total_actors: int
    letters: tuple[str, ...]
    total_briefings: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Snippet:
    before: str
    match: str
    after: str
    href: str
    paragraph_label: str

    @property
    def html(self) -> Markup:
        """The snippet's list item. Written here, not in actor.html: a busy actor's page lists thousands
        of snippets, and one string per item costs a fraction of a template loop's fragments and escapes."""
        return Markup(
            f'<li><a class="kwic__where" href="{escape_html(self.href)}">{escape_html(self.paragraph_label)}</a> '
            f'<span class="kwic__text">{escape_html(self.before)}<mark>{escape_html(self.match)}</mark>'
            f"{escape_html(self.after)}</span></li>"
        )


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NameUse:
    name: str
    side: str | None
    used_by: str  # short labels of briefings that use this form ("Smith, Jones and 4 more"), "" if none


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class MentionGroup:
    briefing: BriefingColumn
    snippets: tuple[Snippet, ...]
    count: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Companion:
    name: str
    href: str
    shared: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ActorPage:
    id: str
    name: str
    type_label: str
    description: str
    note: str | None
    names: tuple[NameUse, ...]
    groups: tuple[MentionGroup, ...]
    total: int
    companions: tuple[Companion, ...]
    index_href: str


class Roster(Sequence[BriefingSummary]):
    """The briefings in site order with each one's position, made once per build.

    A per-actor or per-event page needs only the briefings that name its actor or event: with a
    roster it looks them up, instead of scanning all N briefings for each of the pages (pages x N).
    """

    __slots__ = ("_items", "_position")

    def __init__(self, briefings: Iterable[BriefingSummary]) -> None:
        self._items = tuple(briefings)
        self._position: dict[str, int] = {}
        for i, b in enumerate(self._items):
            self._position.setdefault(b.slug, i)  # a repeated slug: the first wins, as in the index

    @overload
    def __getitem__(self, i: int) -> BriefingSummary: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[BriefingSummary]: ...
    def __getitem__(self, i: int | slice) -> BriefingSummary | Sequence[BriefingSummary]:
        return self._items[i]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[BriefingSummary]:
        return iter(self._items)

    def __contains__(self, slug: object) -> bool:
        """Whether a briefing with this slug is on the site."""
        return slug in self._position

    def pick(self, slugs: Iterable[str]) -> list[BriefingSummary]:
        """The briefings with these slugs, in site order; slugs of no known briefing are left out."""
        places = sorted({self._position[s] for s in slugs if s in self._position})
        return [self._items[i] for i in places]

    def position(self, slug: str) -> int:
        return self._position[slug]


def roster(briefings: Sequence[BriefingSummary]) -> Roster:
    """``briefings`` as a roster: the same one if it is one already (the caller made it once)."""
    return briefings if isinstance(briefings, Roster) else Roster(briefings)


def short_label(b: BriefingSummary) -> str:
    """A column label: the first author's surname, else the first words of the title."""
    if b.meta.authors:
        return b.meta.authors[0].name.split()[-1]
    return " ".join(b.meta.title.split()[:3])


def columns(briefings: Iterable[BriefingSummary], page: str, settings: Settings) -> tuple[BriefingColumn, ...]:
    return tuple(
        BriefingColumn(b.slug, short_label(b), b.meta.title, href(page, briefing_path(b.slug), settings))
        for b in briefings
    )


def capped(labels: Sequence[str], shown: int = NAMES_SHOWN) -> str:
    """"A, B and C" style lists stay short: "Smith, Jones, Doe and 12 more" past ``shown`` names."""
    if len(labels) <= shown:
        return ", ".join(labels)
    return f"{', '.join(labels[:shown])} and {len(labels) - shown} more"


def build_actors_index(
    actors: Sequence[Actor], briefings: Sequence[BriefingSummary], index: Index, settings: Settings
) -> ActorsIndexPage:
    """Every actor by type; a count column per briefing when there are few, else totals only."""
    page = "actors/index.html"
    known = roster(briefings)
    few = len(known) <= PER_BRIEFING_COLUMNS
    slugs = [b.slug for b in known] if few else []
    groups = []
    for kind in ACTOR_TYPES:
        rows = []
        for a in sorted((a for a in actors if a.type == kind), key=lambda a: a.name.casefold()):
            per = {s: n for s, n in index.actor_counts.get(a.id, ()) if s in known}
            rows.append(
                ActorRow(a.id, a.name, href(page, f"actors/{a.id}/index.html", settings), a.description,
                         tuple(per.get(s, 0) for s in slugs), len(per), sum(per.values()),
                         " ".join(a.all_names()).casefold())
            )
        if rows:
            groups.append(TypeGroup(kind, TYPE_LABELS[kind], tuple(rows)))
    letters = tuple(sorted({a.name[:1].upper() for a in actors if a.name}))
    heads = columns(known, page, settings) if few else ()
    return ActorsIndexPage(heads, tuple(groups), len(actors), letters, len(known))


def build_actor_page(
    actor: Actor,
    briefings: Sequence[BriefingSummary],
    texts: Mapping[tuple[str, str], str],
    index: Index,
    co_mentions: Mapping[str, Counter[str]],
    actors: Mapping[str, Actor],
    settings: Settings,
) -> ActorPage:
    """``texts`` maps (briefing, target id) to the text the offsets refer to.

    Pass a ``Roster`` as ``briefings`` when building every actor's page: it is looked up, not scanned.
    """
    page = f"actors/{actor.id}/index.html"
    mentions = index.by_actor.get(actor.id, ())
    by_briefing: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_briefing[m.briefing].append(m)
    # Columns only for the briefings that name the actor: all of them on every actor page is O(actors x N).
    cols = columns(roster(briefings).pick(by_briefing), page, settings)
    groups = tuple(
        MentionGroup(col, tuple(_snippet(m, texts, col.href) for m in found), len(found))
        for col in cols
        if (found := by_briefing.get(col.slug))
    )
    used: dict[str, set[str]] = defaultdict(set)
    labels = {c.slug: c.short for c in cols}
    names = actor.all_names()
    forms: dict[str, str] = {}  # matched text -> its alias: an actor is matched in a few forms, many times
    for m in mentions:
        form = forms.get(m.text)
        if form is None:
            form = forms[m.text] = _base_form(m.text, names)
        used[form].add(labels.get(m.briefing, m.briefing))
    sides = {n.name: n.side for n in actor.names}
    uses = tuple(NameUse(n, sides.get(n), capped(sorted(used.get(n, ())))) for n in names)
    often = sorted(co_mentions.get(actor.id, Counter()).items(), key=lambda kv: (-kv[1], kv[0]))[:OFTEN_WITH]
    companions = tuple(
        Companion(actors[other].name, href(page, f"actors/{other}/index.html", settings), n)
        for other, n in often
        if other in actors
    )
    return ActorPage(
        id=actor.id,
        name=actor.name,
        type_label=TYPE_LABELS[actor.type].rstrip("s") if actor.type != "person" else "Person",
        description=actor.description,
        note=actor.note,
        names=uses,
        groups=groups,
        total=len(mentions),
        companions=companions,
        index_href=href(page, "actors/index.html", settings),
    )


def _base_form(matched: str, names: Sequence[str]) -> str:
    """The alias (of an actor's ``names``) a matched text stands for (a capitalised sentence-initial form maps back)."""
    for n in names:
        if n == matched or n.replace("'", "’") == matched.replace("'", "’") or n[:1].upper() + n[1:] == matched:
            return n
    return matched


def _snippet(m: Mention, texts: Mapping[tuple[str, str], str], briefing_href: str) -> Snippet:
    """The mention in its context; ``briefing_href`` links the mention's briefing from this page."""
    text = texts.get((m.briefing, m.paragraph), "")
    before = text[max(0, m.start - CONTEXT_CHARS) : m.start]
    after = text[m.end : m.end + CONTEXT_CHARS]
    if m.start > CONTEXT_CHARS:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if m.end + CONTEXT_CHARS < len(text):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    label = _target_label(m.paragraph)
    target = f"{briefing_href}#{m.paragraph}" if m.paragraph else briefing_href
    return Snippet(before, text[m.start : m.end], after, target, label)


def _target_label(target: str) -> str:
    if target.startswith("fn"):
        return f"note {target[2:]}"
    if target == "bio":
        return "author bio"
    return f"¶ {target[1:]}"


def co_mentions(index: Index, only: Collection[str] | None = None) -> dict[str, Counter[str]]:
    """Actor -> how many paragraphs it shares with each other actor.

    ``only``: count for these actors alone, reading only the briefings that name one of them (after an
    edit, the few actor pages to render again need no counts for the rest of the index).
    """
    out: dict[str, Counter[str]] = defaultdict(Counter)
    slugs: Sequence[str] = index.slugs
    if only is not None:  # the briefings naming one of them, and no others, are loaded
        naming = {s for a in only for s, _ in index.actor_counts.get(a, ())}
        slugs = [s for s in slugs if s in naming]
    briefings = (index.of(s) for s in slugs)
    for b in briefings:
        per_target: dict[str, set[str]] = defaultdict(set)
        for m in b.mentions:
            per_target[m.paragraph].add(m.actor)
        for found in per_target.values():
            for a in found:
                if only is not None and a not in only:
                    continue
                for other in found:
                    if other != a:
                        out[a][other] += 1
    return out
