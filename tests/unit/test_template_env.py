"""The template environment parses each template once per build: the tree made for the cache keys is compiled;
and ``compile_ahead`` leaves the keys and compiled templates in the caches, so the build parses none."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from briefing.fingerprint import code_version
from briefing.render.templates import compile_ahead, compiled_folder, template_digests, template_env, template_sources
from briefing.store import Store

ROOT = Path(__file__).resolve().parents[2]


def counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates Jinja parses from now on, in order."""
    parsed: list[str | None] = []
    parse = jinja2.Environment._parse

    def counting(self: jinja2.Environment, source: str, name: str | None, filename: str | None) -> object:
        parsed.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counting)
    return parsed


def test_each_template_is_parsed_once_and_renders_as_from_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = counting_parses(monkeypatch)
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


def test_templates_compiled_ahead_are_neither_parsed_nor_compiled_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<p>{% block b %}{% endblock %}</p>\n", "utf-8")
    (folder / "page.html").write_text('{% extends "base.html" %}{% block b %}{{ x }}{% endblock %}', "utf-8")
    (folder / "bad.html").write_text("{% if %}", "utf-8")
    store_folder = tmp_path / ".cache" / "build"
    compile_ahead(tmp_path, store_folder, code_version())()  # forks, then waits for the child

    parsed = counting_parses(monkeypatch)
    sources = template_sources(folder)
    env = template_env(folder, compiled_folder(tmp_path))
    store = Store(store_folder, code_version())
    keys = template_digests(env, sources, store)
    assert env.get_template("page.html").render(x="<&>") == "<p>&lt;&amp;&gt;</p>\n"
    assert parsed == [] and store.misses == 0  # keys and compiled code came from the child's work
    with pytest.raises(jinja2.TemplateSyntaxError):  # what the child could not compile is compiled (and fails) here
        env.get_template("bad.html")
    assert parsed == ["bad.html"]
    assert keys == template_digests(template_env(folder), sources, Store(None, code_version()))
    assert keys["page.html"] != keys["base.html"]

    def no_fork() -> int:
        raise AssertionError("forked again for templates already compiled")

    monkeypatch.setattr(os, "fork", no_fork)
    compile_ahead(tmp_path, store_folder, code_version())()
    (folder / "page.html").write_text('{% extends "base.html" %}{% block b %}[{{ x }}]{% endblock %}', "utf-8")
    with pytest.raises(AssertionError, match="forked again"):  # changed templates: compiled ahead again
        compile_ahead(tmp_path, store_folder, code_version())
