"""One briefing from its seed to its own files: read -> index -> summarise -> render -> write.

A briefing's article page, source view, citations, raw copy and JSON export depend on nothing but
the briefing, its metadata, the actor and event files, the site settings and two templates; so each
briefing is one unit of work, done in whichever process ``fork_map`` gives it, writing its files
straight into the staging folder. What the rest of the build needs back is small: the ``Unit``
(summary, tally, the index kept pickled, warnings, the files written), which the cache keeps for the next build.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

import jinja2

from briefing.errors import Frozen, SourceError, freeze
from briefing.index.actors import ActorMatcher, build_matcher
from briefing.index.crossref import BriefingIndex, Tally, index_briefing, tally
from briefing.index.timeline import EventMatcher, build_event_matcher
from briefing.model import Actor, BriefingMeta, BriefingSummary, Event, compact_pickle
from briefing.output import Built, write_file
from briefing.render.exports import ExportParts, export_parts
from briefing.render.html import compile_templates, render_page
from briefing.render.plan import Frame, briefing_outputs
from briefing.render.site_view import card_html, home_card
from briefing.render.summary import PageKeys, page_keys, summarise
from briefing.sources import content

T = TypeVar("T")
OWN_TEMPLATES = ("briefing.html", "source.html")  # the templates a briefing's own pages use


@dataclass(frozen=True, slots=True)
class Task:
    """A seed to build: its file, its metadata (None: taken from the text) and the key of its outputs."""

    path: Path
    meta: BriefingMeta | None
    key: str


@compact_pickle
@dataclass(frozen=True, slots=True)
class Unit:
    """What one briefing's work hands back (and the cache keeps under ``key``)."""

    key: str
    summary: BriefingSummary  # without its texts: see ``texts``
    tally: Tally  # how often it names each actor and event: what pages showing every briefing need
    found: bytes  # its pickled index, without dates (only its own page, made here, shows them): see ``index``
    warnings: tuple[Frozen, ...]
    files: tuple[str, ...]  # the output paths it wrote (what was written, ``Made.written``, is not kept:
    # a later build takes that from the manifest of the site it reuses the files of)
    pages: tuple[str, ...]  # the HTML pages among them
    parts: PageKeys  # what it shows on each actor's and event's page, for those pages' keys
    exports: ExportParts  # its share of data/actors.json and data/timeline.json, encoded
    card: str  # its card on the home page, written (``card_html``)
    packed_texts: bytes  # the summary's texts, pickled: only pages quoting this briefing unpickle them

    def texts(self) -> tuple[tuple[str, str], ...]:
        """The texts its mentions and passages point into (``BriefingSummary.texts``), unpickled when asked:
        a rebuild after one edit quotes a few briefings, and the texts were half of a summary's loading."""
        return _unpickled(self.packed_texts, tuple)

    def index(self) -> BriefingIndex:
        """Its mentions and passages, unpickled only when asked: after one edit, most units' never are
        (they were two thirds of loading a thousand units)."""
        return _unpickled(self.found, BriefingIndex)


class Made(NamedTuple):
    """A unit just made, and what it wrote (output path -> ``Built``) for the new site's manifest."""

    unit: Unit
    written: tuple[tuple[str, Built], ...]


def _unpickled(data: bytes, kind: type[T]) -> T:
    value = pickle.loads(data)
    assert isinstance(value, kind)
    return value


class Worker:
    """The per-process tools every briefing needs: the alias automaton, the events, the templates.

    Made once per process on first use (building the automaton and compiling the templates costs
    more than one briefing), never shared between processes.
    """

    def __init__(
        self, actors: Sequence[Actor], events: Sequence[Event], frame: Frame, env: jinja2.Environment
    ) -> None:
        self.actors = tuple(actors)
        self.events = tuple(events)
        self.frame = frame
        self.env = env
        self._matcher: ActorMatcher | None = None
        self._events: EventMatcher | None = None
        self._by_id: tuple[Mapping[str, Actor], Mapping[str, Event]] | None = None

    def prepare(self, templates: Sequence[str]) -> None:
        """Build the automaton, the event lookup and the compiled templates now (before forking)."""
        self.matcher()
        self.event_matcher()
        self.by_id()
        compile_templates(self.env, templates)

    def matcher(self) -> ActorMatcher:
        if self._matcher is None:
            self._matcher = build_matcher(self.actors)
        return self._matcher

    def event_matcher(self) -> EventMatcher:
        if self._events is None:
            self._events = build_event_matcher(self.events)
        return self._events

    def by_id(self) -> tuple[Mapping[str, Actor], Mapping[str, Event]]:
        if self._by_id is None:
            self._by_id = ({a.id: a for a in self.actors}, {e.id: e for e in self.events})
        return self._by_id

    def build(self, task: Task, folder: Path) -> Made:
        """Read, index and render one seed, writing its files into ``folder``. Raises SourceError."""
        found: list[SourceError] = []
        b = content._read_briefing(task.path, task.meta, found)
        index = index_briefing(b, self.matcher(), self.event_matcher())
        actors, events = self.by_id()
        outputs = briefing_outputs(b, index, actors, events, self.frame.settings, self.frame)
        written = [(p.path, write_file(folder, p.path, render_page(self.env, p), task.key)) for p in outputs.pages]
        written += [(f.path, write_file(folder, f.path, f.data, task.key)) for f in outputs.files]
        summary = summarise(b, index)
        card = str(card_html(home_card(summary, index, actors, self.frame.settings)))
        # A tenth of what a rebuild unpickles would be dates no site-wide page reads.
        site_index = pickle.dumps(dataclasses.replace(index, dates=()), pickle.HIGHEST_PROTOCOL)
        texts = pickle.dumps(summary.texts, pickle.HIGHEST_PROTOCOL)
        unit = Unit(task.key, dataclasses.replace(summary, texts=()), tally(index), site_index, freeze(found),
                    tuple(path for path, _ in written), tuple(p.path for p in outputs.pages),
                    page_keys(summary, index), export_parts(index), card, texts)
        return Made(unit, tuple(written))
