"""The XSS corpus -> a project that carries it in every kind of input: a plain-text seed, a Markdown seed,
briefing metadata, site settings, actors, timeline events and an editorial page.

``PLACES`` says, for each page of the built site, which strings a reader must see on it literally.
"""

from __future__ import annotations

from pathlib import Path

from payloads import COMBINED, MARKDOWN_LINKS, MARKDOWN_REFERENCE, PAYLOADS, Payload
from sitekit import make_project, to_yaml

TEXT_SLUG = "xss-plain"
MARKDOWN_SLUG = "xss-markdown"
SITE_TITLE = "Site {{ 7*7 }} </title><script>alert(1)</script>"
TEXT_TITLE = COMBINED
AUTHOR = "Eve <img src=x onerror=alert(1)> O'Hara"
MD_TITLE = "MD </script><script>alert(1)</script> {{ 7*7 }}"
MD_AUTHOR = "Mallory \"><svg onload=alert(1)> Doe"
HEADING = "Heading <script>alert(1)</script> part"
NOTE = "Note text <img src=x onerror=alert(1)> and </script><script>alert(1)</script> end."
QUOTE_URL = 'https://example.org/"onmouseover="alert(1)'  # allowed by the schema (no space), escaped on output
EVENT_DATE_TEXT = "10 November 2020"


def case_line(index: int, payload: Payload) -> str:
    """One paragraph per payload; it ends like a sentence so the text reader never takes it for a heading."""
    return f"Case {index} ({payload.name}): {payload.text} — end of case {index}."


def shown_case(index: int, payload: Payload, markdown: bool) -> str:
    shown = payload.markdown_shown if markdown else payload.shown
    return f"Case {index} ({payload.name}): {shown} — end of case {index}."


def plain_seed() -> str:
    lines = [
        f"An opening paragraph that names the date {EVENT_DATE_TEXT} and cites a note.[1]",
        "",
        HEADING,
        "",
    ]
    for i, p in enumerate(PAYLOADS):
        lines += [case_line(i, p), ""]
    lines += [f"1 {NOTE}", ""]
    return "\n".join(lines)


def markdown_seed() -> str:
    front = to_yaml({"title": MD_TITLE, "authors": [{"name": MD_AUTHOR, "affiliation": COMBINED}],
                     "summary": COMBINED, "published": "2021-05-01"})
    body = ["An opening paragraph in Markdown that cites a note.[^1]", "", f"## {HEADING}", ""]
    for i, p in enumerate(PAYLOADS):
        body += [case_line(i, p), ""]
    for _, source in MARKDOWN_LINKS:
        body += [f"Link case: {source} — end.", ""]
    body += [MARKDOWN_REFERENCE, "", f"[^1]: {NOTE}", ""]
    return f"---\n{front}---\n\n" + "\n".join(body)


def about_page() -> str:
    front = to_yaml({"title": "About " + COMBINED})
    body = ["## " + HEADING, ""]
    for i, p in enumerate(PAYLOADS):
        body += [case_line(i, p), ""]
    for _, source in MARKDOWN_LINKS:
        body += [f"Link case: {source} — end.", ""]
    body += [MARKDOWN_REFERENCE, ""]
    return f"---\n{front}---\n\n" + "\n".join(body)


def actors() -> list[dict[str, object]]:
    return [
        {
            "id": f"xss-{i}",
            "name": p.text,
            "type": "group",
            "description": f"Description {i}: {p.text}",
            "aliases": [f"{p.text} alias"],
            "names": [{"side": f"Side {i} {p.text}", "name": f"Place {i} {p.text}"}],
            "note": f"Note {i}: {p.text}",
        }
        for i, p in enumerate(PAYLOADS)
    ]


def events() -> list[dict[str, object]]:
    out: list[dict[str, object]] = [{
        "id": "xss-dated",
        "date": "2020-11-10",
        "title": COMBINED,
        "description": "The event the opening paragraph dates: " + COMBINED,
        "actors": ["xss-0"],
    }]
    for i, p in enumerate(PAYLOADS):
        out.append({
            "id": f"xss-event-{i}",
            "date": f"{1900 + i}",
            "title": p.text,
            "description": f"Event description {i}: {p.text}",
            "sources_differ": f"Sources differ {i}: {p.text}",
        })
    return out


def write_project(root: Path) -> Path:
    meta = {
        "source": f"{TEXT_SLUG}.txt",
        "title": TEXT_TITLE,
        "subtitle": "Subtitle " + COMBINED,
        "authors": [{"name": AUTHOR, "affiliation": COMBINED, "bio": "Bio " + COMBINED}],
        "publisher": "Publisher " + COMBINED,
        "series": "Series " + COMBINED,
        "published": "2021-06-01",
        "url": QUOTE_URL,
        "summary": "Summary " + COMBINED,
        "links": {"opening paragraph": QUOTE_URL},
        "notes": ["Editor's note " + COMBINED],
    }
    site = {
        "title": SITE_TITLE,
        "description": "Description " + COMBINED,
        "base_url": "https://example.org/xss/",
        "publisher": "Publisher " + COMBINED,
        "license": "Licence " + COMBINED,
    }
    return make_project(
        root,
        seeds={f"{TEXT_SLUG}.txt": plain_seed(), f"{MARKDOWN_SLUG}.md": markdown_seed()},
        content={
            "site.yaml": to_yaml(site),
            f"briefings/{TEXT_SLUG}.yaml": to_yaml(meta),
            "actors.yaml": to_yaml(actors()),
            "timeline.yaml": to_yaml(events()),
            "pages/about.md": about_page(),
        },
    )


def places() -> dict[str, list[str]]:
    """Page (output path) -> strings a reader must see on it, as the browser shows them."""
    plain_cases = [shown_case(i, p, markdown=False) for i, p in enumerate(PAYLOADS)]
    md_cases = [shown_case(i, p, markdown=True) for i, p in enumerate(PAYLOADS)]
    md_links = [label for label, _ in MARKDOWN_LINKS]
    found: dict[str, list[str]] = {
        "index.html": [SITE_TITLE, TEXT_TITLE, MD_TITLE, AUTHOR, MD_AUTHOR],
        f"briefings/{TEXT_SLUG}/index.html": [TEXT_TITLE, AUTHOR, HEADING, NOTE, QUOTE_URL, *plain_cases],
        f"briefings/{TEXT_SLUG}/source/index.html": [HEADING, NOTE, *plain_cases],
        f"briefings/{MARKDOWN_SLUG}/index.html": [MD_TITLE, MD_AUTHOR, HEADING, NOTE, *md_cases, *md_links],
        "about/index.html": ["About " + COMBINED, HEADING, *md_cases, *md_links],
        "timeline/index.html": [COMBINED, *(p.text for p in PAYLOADS)],
        "timeline/xss-dated/index.html": [COMBINED],
        "actors/index.html": [p.text for p in PAYLOADS],
    }
    for i, p in enumerate(PAYLOADS):
        found[f"actors/xss-{i}/index.html"] = [p.text, f"Description {i}: {p.text}", f"Note {i}: {p.text}",
                                             f"{p.text} alias", f"Place {i} {p.text}"]
        found[f"timeline/xss-event-{i}/index.html"] = [p.text, f"Event description {i}: {p.text}",
                                                      f"Sources differ {i}: {p.text}"]
    return found
