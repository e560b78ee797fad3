"""A folder of Markdown files with front matter -> one HTML page each: the serial markdown-it-py + Jinja2 floor.

``python bench/floor.py SRC OUT``. The least a serial Python build can do per document (parse
front matter, render Markdown with footnotes, fill one template, write a file), so a build of the
same corpus cannot be expected to beat it without more than one process.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)
PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1>{{ body }}</body></html>\n"
)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def build(src: Path, out: Path) -> int:
    md = MarkdownIt("commonmark", {"html": False}).use(footnote_plugin)
    template = jinja2.Environment(autoescape=True).from_string(PAGE)
    count = 0
    for path in sorted(src.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = FRONT.match(text)
        front = yaml.load(m.group(1), Loader=LOADER) if m else {}
        body = md.render(text[m.end() :] if m else text)
        page = out / path.stem / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(template.render(title=front.get("title", path.stem), body=Markup(body)), encoding="utf-8")
        count += 1
    return count


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/floor.py SRC OUT")
    print(f"{build(Path(sys.argv[1]), Path(sys.argv[2]))} pages")
