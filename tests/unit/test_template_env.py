"""The template environment parses each template once per build: the tree made for the cache keys is compiled."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from briefing.fingerprint import code_version
from briefing.render.templates import template_digests, template_env, template_sources
from briefing.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_each_template_is_parsed_once_and_renders_as_from_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str | None] = []
    parse = jinja2.Environment._parse

    def counting(self: jinja2.Environment, source: str, name: str | None, filename: str | None) -> object:
        parsed.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counting)
    folder = ROOT / "templates"
    env = template_env(folder)
    sources = template_sources(folder)
    template_digests(env, sources, Store(None, code_version()))
    for name in sources:
        env.get_template(name)
    assert sorted(parsed) == sorted(sources)  # once each: for the keys, not again to compile

    plain = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{% if x %}<b>{{ x }}</b>{% endif %}"}),
                               autoescape=True)
    once = template_env(folder)
    once.loader = plain.loader
    once.parse("{% if x %}<b>{{ x }}</b>{% endif %}", "t.html")
    assert once.get_template("t.html").render(x="<&>") == plain.get_template("t.html").render(x="<&>")


def test_a_syntax_error_is_still_reported_when_compiling(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("{% if %}", "utf-8")
    env = template_env(tmp_path)
    template_digests(env, template_sources(tmp_path), Store(None, code_version()))
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.get_template("bad.html")
