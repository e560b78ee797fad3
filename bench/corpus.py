"""A size N and a seed -> a synthetic project folder our build reads, plus the same documents for peer generators.

Run from the project root: ``python -m bench.corpus --n 100 --out /tmp/corpus-100``. Not part of the test suite.

Writes ``<out>/site/`` (seeds/, content/, templates/ and static/ copied from the repo) and
``<out>/peers/`` (hugo/, pelican/, mkdocs/, eleventy/ and a plain markdown/ folder). Everything is drawn
from ``random.Random`` with a fixed seed, so the same N and seed give byte-identical files (document i
has its own generator, seeded from the seed and i; which actors and events it names depends on N).

Each briefing has about 2,500 words in 5 sections with 4 footnotes, a few actor aliases per paragraph
and a date expression every couple of paragraphs. The seeds cycle through the three input forms:
plain text with one line per paragraph ("clean"), plain text as extracted from a PDF (hard wraps,
page footers with notes and URL blocks, bare note numbers at line ends) and Markdown with front matter
and ``[^n]`` footnotes. Every plain-text seed gets ``content/briefings/<slug>.yaml``; a Markdown seed
carries its metadata in its front matter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = 20211110
WORDS_PER_BRIEFING = 2_500
SECTIONS = 5
PARAGRAPHS_PER_SECTION = 4
FOOTNOTES = 4
ALIASES_PER_ACTOR = 10
MENTIONS_PER_PARAGRAPH = (2, 4)  # inclusive range
WORDS_ADDED = 20  # words per paragraph that mentions, dates and the last sentence's overshoot add
DATE_EVERY = 2  # paragraphs: on average one date expression per this many paragraphs
PDF_WIDTH = 88  # characters per wrapped line in the PDF-extracted form
PDF_PAGE_LINES = 46  # body lines per page before a footer
FORMS = ("clean", "pdf", "markdown")
VERSION = 2  # bump when the output changes, so cached corpora are regenerated

# Filler vocabulary for policy prose. No month names, no words the date finder reads as counts
# after a year ("troops", "people"), nothing capitalised: capitals belong to actor aliases.
_WORDS_TEXT = """
    the of and to in a that for on with as by is was are were be has have had not its their this
    these those which who while when where after before between against within without across over
    under through during among toward towards about into from than but also however still already
    policy security conflict border peace talks agreement settlement ceasefire negotiation mediation
    region regional government ministry parliament opposition coalition strategy interest influence
    balance power status question process framework mechanism presence mission operation withdrawal
    transport corridor route trade energy pipeline investment reconstruction economy economic sanctions
    diplomatic political military strategic humanitarian territorial domestic international bilateral
    multilateral long-term short-term uncertain fragile durable stable unstable new old major minor
    leaders officials experts observers analysts commentators partners neighbours rivals allies
    statement declaration proposal position demand guarantee commitment concession compromise outcome
    crisis tension escalation restraint deterrence pressure leverage dialogue cooperation competition
    recognition integrity sovereignty autonomy independence reintegration return refugees displacement
    maps demarcation delimitation checkpoint infrastructure airport railway highway district province
    seems appears remains becomes suggests signals indicates reflects shows limits shapes reinforces
    weakens strengthens complicates delays accelerates undermines supports opposes welcomes rejects
    expects fears hopes insists argues claims notes stresses warns admits denies accepts considers
    likely unlikely clear unclear open closed formal informal direct indirect public private official
    much more less most least very rather quite only even nearly largely partly mostly entirely
"""
WORDS = tuple(_WORDS_TEXT.split())
CONNECTIVES = ("Moreover", "However", "Meanwhile", "Still", "Indeed", "Nevertheless", "In practice",
               "At the same time", "For now", "In this sense", "Above all", "As a result")
HEADING_WORDS = ("Balance", "Question", "Road", "Limits", "Price", "Logic", "Future", "Return", "Shape",
                 "Cost", "Lessons", "Risks", "Choices", "Stakes", "Terms", "Legacy")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SYLLABLES = ("ka", "ro", "vel", "dan", "mir", "tos", "bel", "ish", "zu", "ar", "nek", "lo", "sav", "ten",
             "gor", "ul", "pra", "vin", "dor", "esh", "kal", "mur", "sin", "tar", "bo", "yel", "rim", "ost")
# Pseudo-words never equal these (they would read as sentence words or dates).
NOT_NAMES = frozenset({*(w.capitalize() for w in WORDS), *MONTHS, "Also", "Into", "Upon", "Over", "Even",
                       "Only", "Once", "Then", "Than", "Were", "Will", "Must", "Said", "Most"})

# Alias patterns per actor type: "{R}" is the actor's root word, "{D}" its demonym, "{F}" a first name.
ALIAS_PATTERNS: dict[str, tuple[str, ...]] = {
    "person": ("{F} {R}", "{R}", "{F0}. {R}", "President {R}", "Minister {R}", "Dr {R}", "Mr {R}",
               "General {R}", "Ambassador {R}", "Professor {R}"),
    "state": ("{R}", "Republic of {R}", "{D} government", "{D} authorities", "{D} army", "{D} forces",
              "{D} leadership", "{D} foreign ministry", "{D} parliament", "{D} president"),
    "organisation": ("{R} Organisation", "{R} Council", "{R} Secretariat", "{R} Commission", "{R} Union",
                     "{R} Assembly", "{R} Mission", "{R} Forum", "{R} Bank", "{R} Institute"),
    "party": ("{R} Party", "{R} Front", "{R} Movement", "{R} Alliance", "{R} bloc", "{R} List",
              "{R} Union of Democrats", "{R} Congress", "{R} faction", "{R} caucus"),
    "place": ("{R}", "{R} district", "{R} region", "{R} valley", "{R} corridor", "Upper {R}", "Lower {R}",
              "{R} province", "{R} airport", "{R} heights"),
    "group": ("{R} community", "{R} diaspora", "{R} veterans", "{R} militia", "{R} volunteers",
              "{R} refugees", "{R} clergy", "{R} elders", "{R} activists", "{R} network"),
}
ACTOR_TYPES = ("person", "state", "place", "organisation", "person", "place", "party", "group", "person", "state")
ACTOR_DESCRIPTIONS = {
    "person": "A {D} politician whose statements the briefings quote.",
    "state": "A state whose government takes part in the negotiations.",
    "organisation": "An international organisation with a mandate in the region.",
    "party": "A political party in the {D} parliament.",
    "place": "A district whose status the sides dispute.",
    "group": "A group that the settlement affects directly.",
}
EVENT_NOUNS = ("accord", "summit", "offensive", "ceasefire", "referendum", "declaration", "crisis", "talks",
               "protocol", "withdrawal")


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    description: str


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    title: str
    description: str
    actors: tuple[str, ...]
    phrase: str | None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Sentences of one paragraph; ``note`` is (sentence index, note number) for a footnote marker."""

    sentences: tuple[str, ...]
    note: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Doc:
    slug: str
    form: str
    title: str
    author: str
    affiliation: str
    published: dt.date
    summary: str
    sections: tuple[tuple[str, tuple[Paragraph, ...]], ...]
    notes: tuple[str, ...]
    urls: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class World:
    """The actor index and timeline a corpus of size N shares."""

    actors: tuple[Actor, ...]
    events: tuple[Event, ...]


def actor_count(n: int) -> int:
    return max(100, n // 5)


def event_count(n: int) -> int:
    return max(40, n // 4)


# --- names -------------------------------------------------------------------------


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct capitalised made-up words of two or three syllables."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
        if word in seen or word in NOT_NAMES:
            continue
        seen.add(word)
        out.append(word)
    return out


def demonym(root: str) -> str:
    return root + ("n" if root.endswith(("a", "i", "o")) else "i" if root.endswith("sh") else "ian")


def make_world(n: int, seed: int = SEED) -> World:
    """Actors (``actor_count(n)``, ten aliases each) and events (``event_count(n)``), all distinct."""
    rng = random.Random(seed)
    actors_n, events_n = actor_count(n), event_count(n)
    words = pseudo_words(rng, actors_n * 2 + events_n)
    roots, firsts, event_roots = words[:actors_n], words[actors_n : 2 * actors_n], words[2 * actors_n :]
    actors = []
    for i, root in enumerate(roots):
        kind = ACTOR_TYPES[i % len(ACTOR_TYPES)]
        fill = {"R": root, "D": demonym(root), "F": firsts[i], "F0": firsts[i][0]}
        aliases = tuple(p.format(**fill) for p in ALIAS_PATTERNS[kind][:ALIASES_PER_ACTOR])
        name = aliases[0]
        actor_id = "-".join(name.lower().replace(".", "").split())
        actors.append(Actor(actor_id, name, kind, aliases, ACTOR_DESCRIPTIONS[kind].format(**fill)))
    events = []
    for i, root in enumerate(event_roots):
        noun = EVENT_NOUNS[i % len(EVENT_NOUNS)]
        date = _random_date(rng)
        precision = rng.random()
        text_date = date.isoformat()[: 10 if precision < 0.6 else 7 if precision < 0.85 else 4]
        members = tuple(sorted({a.id for a in rng.sample(actors, rng.randint(1, 3))}))
        phrase = f"{root} {noun}" if rng.random() < 0.5 else None
        events.append(Event(f"{root.lower()}-{noun}-{date.year}", text_date, f"The {root} {noun}",
                            f"The {noun} at {root}, as the briefings describe it.", members, phrase))
    events.sort(key=lambda e: (e.date, e.id))
    return World(tuple(actors), tuple(events))


def _random_date(rng: random.Random) -> dt.date:
    start = dt.date(1988, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(2023, 12, 31).toordinal()))


# --- documents -----------------------------------------------------------------------


def make_doc(i: int, world: World, seed: int = SEED) -> Doc:
    """Document ``i``: its form is ``FORMS[i % 3]``; its text depends only on ``i``, ``seed`` and ``world``."""
    rng = random.Random(seed * 1_000_003 + i)
    form = FORMS[i % len(FORMS)]
    cast = rng.sample(world.actors, min(len(world.actors), rng.randint(12, 24)))
    weights = [1 / (k + 1) for k in range(len(cast))]  # a few actors dominate each text, as in real ones
    events = rng.sample(world.events, min(len(world.events), 6))
    root = pseudo_words(rng, 1)[0]
    author = f"{pseudo_words(rng, 1)[0]} {pseudo_words(rng, 1)[0]}"
    words_per_paragraph = WORDS_PER_BRIEFING // (SECTIONS * PARAGRAPHS_PER_SECTION)
    note_paragraphs = sorted(rng.sample(range(1, SECTIONS * PARAGRAPHS_PER_SECTION), FOOTNOTES))
    sections = []
    count = 0
    for s in range(SECTIONS):
        heading = _heading(rng, cast)
        paragraphs = []
        for _ in range(PARAGRAPHS_PER_SECTION):
            note_number = note_paragraphs.index(count) + 1 if count in note_paragraphs else None
            paragraphs.append(_paragraph(rng, cast, weights, events, words_per_paragraph, note_number, s))
            count += 1
        sections.append((heading, tuple(paragraphs)))
    published = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 9 * 365))
    title = f"{root} and the {rng.choice(HEADING_WORDS)} of {cast[0].aliases[0]}: {_words(rng, 3).capitalize()}"
    slug = f"briefing-{i:05d}-{root.lower()}"
    urls = tuple(f"https://example.org/{root.lower()}/{k}/{_words(rng, 2).replace(' ', '-')}" for k in range(3))
    notes = tuple(
        f"{pseudo_words(rng, 1)[0]} {pseudo_words(rng, 1)[0]}. {_words(rng, 5).capitalize()}. "
        f"{rng.choice(cast).aliases[0]} Press, {rng.randint(1995, 2022)}. {rng.randint(40, 400)} p."
        for _ in range(FOOTNOTES)
    )
    return Doc(slug, form, title, author, f"Senior Fellow, {root} Institute", published,
               f"{_words(rng, 14).capitalize()}.", tuple(sections), notes, urls)


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _heading(rng: random.Random, cast: Sequence[Actor]) -> str:
    actor = rng.choice(cast).aliases[0]
    shape = rng.randrange(3)
    if shape == 0:
        return f"The {rng.choice(HEADING_WORDS)} of {actor}"
    if shape == 1:
        return f"{actor} and the {rng.choice(WORDS[40:120])} {rng.choice(HEADING_WORDS).lower()}"
    return f"What Comes after the {rng.choice(HEADING_WORDS)}?"


def _paragraph(
    rng: random.Random,
    cast: Sequence[Actor],
    weights: Sequence[float],
    events: Sequence[Event],
    words: int,
    note: int | None,
    section: int,
) -> Paragraph:
    sentences: list[list[str]] = []
    total = 0
    while total < words - WORDS_ADDED:
        length = rng.randint(12, 24)
        sentences.append([rng.choice(WORDS) for _ in range(length)])
        total += length
    for _ in range(rng.randint(*MENTIONS_PER_PARAGRAPH)):
        actor = rng.choices(cast, weights)[0]
        alias = rng.choice(actor.aliases[:3]) if rng.random() < 0.7 else rng.choice(actor.aliases)
        if rng.random() < 0.2 and not alias.endswith("s"):
            alias += "’s"
        _insert(rng, sentences, alias)
    if rng.random() < 1 / DATE_EVERY:
        _insert(rng, sentences, _date_phrase(rng, events))
    if rng.random() < 0.2:
        phrased = [e for e in events if e.phrase]
        if phrased:
            _insert(rng, sentences, "the " + rng.choice(phrased).phrase)  # type: ignore[operator]
    texts = []
    for k, sentence in enumerate(sentences):
        opener = rng.choice(CONNECTIVES) + ", " if k and rng.random() < 0.15 else ""
        body = " ".join(sentence)
        text = opener + body
        texts.append(text[0].upper() + text[1:] + ".")
    marker = (rng.randrange(len(texts)), note) if note is not None else None
    return Paragraph(tuple(texts), marker)


def _insert(rng: random.Random, sentences: list[list[str]], phrase: str) -> None:
    """Put ``phrase`` after a preposition inside a sentence, never first (sentences start with filler)."""
    sentence = rng.choice(sentences)
    at = rng.randint(1, len(sentence))
    sentence[at:at] = [rng.choice(("by", "with", "for", "on", "and", "as", "from")), phrase]


def _date_phrase(rng: random.Random, events: Sequence[Event]) -> str:
    """A date in a form the date finder reads; half of them name one of the document's events."""
    if events and rng.random() < 0.5:
        date = rng.choice(events).date
        parts = [int(p) for p in date.split("-")]
        day = dt.date(parts[0], parts[1] if len(parts) > 1 else rng.randint(1, 12), parts[2] if len(parts) > 2 else 1)
        precision = len(parts)
    else:
        day, precision = _random_date(rng), 3
    month = MONTHS[day.month - 1]
    if precision == 1:
        return f"in {day.year}"
    if precision == 2:
        return f"in {month} {day.year}"
    form = rng.randrange(4)
    if form == 0:
        return f"on {day.day} {month} {day.year}"
    if form == 1:
        return f"on {month} {day.day}, {day.year}"
    if form == 2:
        return f"in {day.year}"
    return f"since the {rng.choice(('early', 'mid', 'late'))} {day.year // 10 * 10}s"


# --- rendering: our three input forms --------------------------------------------------


def render_clean(doc: Doc) -> str:
    """One line per paragraph, ``[n]`` markers, numbered notes at the end, the byline before and after."""
    out = [doc.author, "", ""]
    for heading, paragraphs in doc.sections:
        out += [heading, ""]
        for p in paragraphs:
            out += [_joined(p, lambda n: f"[{n}]"), ""]
    out.append("")
    out += [line for k, note in enumerate(doc.notes, start=1) for line in (f"{k}. {note}", "")]
    out += ["", doc.author, "", doc.affiliation, ""]
    return "\n".join(out)


def _joined(p: Paragraph, marker: object) -> str:
    texts = list(p.sentences)
    if p.note is not None:
        k, n = p.note
        texts[k] += marker(n)  # type: ignore[operator]
    return " ".join(texts)


def render_pdf(doc: Doc) -> str:
    """Hard-wrapped lines, bare note numbers at line ends, page footers (notes + URL block) between pages."""
    lines: list[str] = []
    pending: list[int] = []  # notes whose markers appeared on the current page
    page_lines = 0
    url_cycle = iter(range(10**6))
    for heading, paragraphs in doc.sections:
        lines += [heading, ""]
        for p in paragraphs:
            wrapped = _wrap_with_marker(p, pending)
            for j, line in enumerate(wrapped):
                lines.append(line)
                page_lines += 1
                nxt = wrapped[j + 1] if j + 1 < len(wrapped) else None
                # Break a page inside a paragraph only where the parser can see it continues: after
                # its second line or later, not after a sentence end (a bare marker may follow it),
                # before a line that cannot be read as a note number.
                ends_sentence = line.rstrip("0123456789 ").endswith((".", "?", "!"))
                mid_break = j >= 1 and nxt is not None and not ends_sentence and not nxt[:1].isdigit()
                if page_lines >= PDF_PAGE_LINES and (mid_break or nxt is None):
                    lines += _footer(doc, pending, next(url_cycle))
                    pending.clear()
                    page_lines = 0
            lines.append("")
    lines += _footer(doc, [*pending, *[n for n in range(1, FOOTNOTES + 1) if n not in _noted(doc)]], 99)
    return "\n".join(lines) + "\n"


def _noted(doc: Doc) -> set[int]:
    return {p.note[1] for _, ps in doc.sections for p in ps if p.note is not None}


def _wrap_with_marker(p: Paragraph, pending: list[int]) -> list[str]:
    if p.note is None:
        return textwrap.wrap(" ".join(p.sentences), PDF_WIDTH, break_on_hyphens=False)
    k, n = p.note
    head = textwrap.wrap(" ".join(p.sentences[: k + 1]), PDF_WIDTH, break_on_hyphens=False)
    head[-1] += f" {n}"  # a bare marker ends its line, as in text pulled from a PDF
    pending.append(n)
    tail = " ".join(p.sentences[k + 1 :])
    return head + (textwrap.wrap(tail, PDF_WIDTH, break_on_hyphens=False) if tail else [])


def _footer(doc: Doc, notes: Sequence[int], page: int) -> list[str]:
    out = [""]
    for n in notes:
        out += [*textwrap.wrap(f"{n} {doc.notes[n - 1]}", PDF_WIDTH), ""]
    out += ["", doc.urls[page % len(doc.urls)], f"https://example.org/page/{page + 1}", ""]
    return out


def render_markdown(doc: Doc, *, ours: bool) -> str:
    """Markdown with ``[^n]`` footnotes; our front matter carries full metadata, the peers' title and date."""
    if ours:
        front = {"title": doc.title, "authors": [{"name": doc.author, "affiliation": doc.affiliation}],
                 "published": doc.published.isoformat(), "summary": doc.summary}
    else:
        front = {"title": doc.title, "date": doc.published.isoformat()}
    out = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000).rstrip(), "---", ""]
    for heading, paragraphs in doc.sections:
        out += [f"## {heading}", ""]
        for p in paragraphs:
            out += [_joined(p, lambda n: f"[^{n}]"), ""]
    out += [f"[^{k}]: {note}" for k, note in enumerate(doc.notes, start=1)]
    return "\n".join(out) + "\n"


def render_pelican(doc: Doc) -> str:
    """Pelican reads its own ``Key: value`` header rather than YAML front matter."""
    body = render_markdown(doc, ours=False).split("---\n", 2)[2]
    return f"Title: {doc.title}\nDate: {doc.published.isoformat()}\nSlug: {doc.slug}\n{body}"


def briefing_meta(doc: Doc) -> dict[str, object]:
    return {
        "source": f"{doc.slug}.txt",
        "title": doc.title,
        "authors": [{"name": doc.author, "affiliation": doc.affiliation}],
        "published": doc.published.isoformat(),
        "summary": doc.summary,
    }


# --- the project folders ------------------------------------------------------------------


def write_world(content: Path, world: World, n: int) -> None:
    site = {"title": f"Synthetic briefings ({n})", "description": "A generated corpus for the benchmark.",
            "base_url": "https://example.org/bench/", "language": "en", "publisher": "bench/corpus.py"}
    actors = [{"id": a.id, "name": a.name, "type": a.type, "description": a.description, "aliases": list(a.aliases)}
              for a in world.actors]
    events = []
    for e in world.events:
        entry: dict[str, object] = {"id": e.id, "date": e.date, "title": e.title, "description": e.description,
                                    "actors": list(e.actors)}
        if e.phrase:
            entry["phrases"] = [e.phrase]
        events.append(entry)
    _dump(content / "site.yaml", site)
    _dump(content / "actors.yaml", sorted(actors, key=lambda a: str(a["id"])))
    _dump(content / "timeline.yaml", events)


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


def docs(n: int, seed: int = SEED) -> Iterator[Doc]:
    world = make_world(n, seed)
    for i in range(n):
        yield make_doc(i, world, seed)


def write_corpus(n: int, out: Path, seed: int = SEED, *, site: bool = True, peers: bool = True) -> None:
    """Write ``out/site`` (our project) and ``out/peers`` (the peer generators' inputs) for N documents."""
    world = make_world(n, seed)
    if site:
        _fresh(out / "site")
        for folder in ("templates", "static"):
            shutil.copytree(REPO / folder, out / "site" / folder)
        write_world(out / "site" / "content", world, n)
        (out / "site" / "content" / "pages").mkdir(parents=True, exist_ok=True)
        (out / "site" / "seeds").mkdir(parents=True)
    if peers:
        _fresh(out / "peers")
        write_peer_configs(out / "peers")
    for i in range(n):
        doc = make_doc(i, world, seed)
        if site:
            _write_seed(out / "site", doc)
        if peers:
            _write_peer_doc(out / "peers", doc)
    (out / "corpus.json").write_text(json.dumps({"n": n, "seed": seed, "version": VERSION}) + "\n")


def _fresh(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _write_seed(site: Path, doc: Doc) -> None:
    seeds = site / "seeds"
    if doc.form == "markdown":
        (seeds / f"{doc.slug}.md").write_text(render_markdown(doc, ours=True), encoding="utf-8")
        return
    text = render_clean(doc) if doc.form == "clean" else render_pdf(doc)
    (seeds / f"{doc.slug}.txt").write_text(text, encoding="utf-8")
    _dump(site / "content" / "briefings" / f"{doc.slug}.yaml", briefing_meta(doc))


def _write_peer_doc(peers: Path, doc: Doc) -> None:
    markdown = render_markdown(doc, ours=False)
    for folder in ("markdown", "hugo/content/posts", "mkdocs/docs", "eleventy/src/posts"):
        (peers / folder / f"{doc.slug}.md").write_text(markdown, encoding="utf-8")
    (peers / "pelican" / "content" / f"{doc.slug}.md").write_text(render_pelican(doc), encoding="utf-8")


PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title></head>"
    "<body>{body}</body></html>\n"
)

HUGO_LIST = (
    '{{{{ define "main" }}}}<ul>{{{{ range {pages} }}}}<li><a href="{{{{ .RelPermalink }}}}">{{{{ .Title }}}}</a></li>'
    "{{{{ end }}}}</ul>{{{{ end }}}}\n"
)


def write_peer_configs(peers: Path) -> None:
    """Each peer's configuration and the smallest templates that render every document and an index."""
    files = {
        "hugo/hugo.toml": 'baseURL = "https://example.org/bench/"\ntitle = "Bench"\nlanguageCode = "en"\n',
        "hugo/layouts/_default/baseof.html": PAGE.format(title="{{ .Title }}", body='{{ block "main" . }}{{ end }}'),
        "hugo/layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
        "hugo/layouts/_default/list.html": HUGO_LIST.format(pages=".Pages"),
        "hugo/layouts/index.html": HUGO_LIST.format(pages=".Site.RegularPages"),
        "pelican/pelicanconf.py": 'AUTHOR = "Bench"\nSITENAME = "Bench"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\nRELATIVE_URLS = True\n',
        "mkdocs/mkdocs.yml": "site_name: Bench\nplugins: []\nmarkdown_extensions: [footnotes]\n",
        "mkdocs/mkdocs-search.yml": "site_name: Bench\nplugins: [search]\nmarkdown_extensions: [footnotes]\n",
        "mkdocs/docs/index.md": "# Bench\n\nA generated corpus.\n",
        "eleventy/eleventy.config.cjs": (
            "// BENCH_NODE_MODULES: the node_modules folder the runner installed Eleventy and plugins into.\n"
            'const footnote = require(process.env.BENCH_NODE_MODULES + "/markdown-it-footnote");\n'
            "module.exports = function (config) {\n"
            '  config.amendLibrary("md", (md) => md.use(footnote));\n'
            '  return { dir: { input: "src", output: "_site" } };\n'
            "};\n"
        ),
        "eleventy/src/posts/posts.json": '{"layout": "post.njk", "tags": "posts"}\n',
        "eleventy/src/_includes/post.njk": PAGE.format(
            title="{{ title }}", body="<h1>{{ title }}</h1>{{ content | safe }}"
        ),
        "eleventy/src/index.njk": PAGE.format(
            title="Bench",
            body='<ul>{% for post in collections.posts %}<li><a href="{{ post.url }}">{{ post.data.title }}</a></li>'
            "{% endfor %}</ul>",
        ),
    }
    for rel, text in files.items():
        path = peers / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in ("markdown", "hugo/content/posts", "pelican/content", "mkdocs/docs", "eleventy/src/posts"):
        (peers / folder).mkdir(parents=True, exist_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, required=True, help="number of briefings")
    p.add_argument("--out", type=Path, required=True, help="folder to write (site/ and peers/ inside)")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--no-peers", action="store_true", help="write only our project folder")
    args = p.parse_args(argv)
    write_corpus(args.n, args.out, args.seed, peers=not args.no_peers)
    print(f"wrote {args.n} briefings into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
