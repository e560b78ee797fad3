"""templates/ -> the Jinja environment that compiles them once, and each template's key.

Standard library and Jinja only: ``compile_ahead`` forks a process at start-up that parses and
compiles the templates into ``.cache/`` while the build process imports the rest of the code.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.meta
import jinja2.nodes

from briefing.store import Store, digest


def template_env(folder: Path, compiled: Path | None = None) -> jinja2.Environment:
    """One environment per build: templates compile once and are reused for every page.

    ``compiled``: a folder for Jinja's bytecode cache, so a later build (a new process) loads the
    compiled templates instead of compiling them again (Jinja checks each entry against the source).
    """
    cache = None
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(compiled))
    return ParsedOnce(
        bytecode_cache=cache,
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


class ParsedOnce(jinja2.Environment):
    """An environment that compiles a template from the tree ``parse`` already made of the same source.

    A build parses every template once to learn which templates it extends or includes (for its
    cache keys) and then compiles it; without this, a cold build parses each template twice.
    ``compile`` accepts a parsed tree in place of the source, so only that public method is extended.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._trees: dict[tuple[str | None, str], jinja2.nodes.Template] = {}

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> jinja2.nodes.Template:
        tree = super().parse(source, name, filename)
        self._trees[name, source] = tree
        return tree

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, *args: Any,
                **kwargs: Any) -> Any:
        if isinstance(source, str):
            tree = self._trees.pop((name, source), None)
            if tree is not None:
                # The tree is compiled once and dropped: compiling may rewrite it in place.
                return super().compile(tree, name, filename, *args, **kwargs)
        return super().compile(source, name, filename, *args, **kwargs)


# --- template keys: a page is kept when the templates it uses are unchanged ----------------------


def template_sources(folder: Path) -> dict[str, bytes]:
    """Every file under ``templates/`` by its name there (none when the folder is missing)."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sources_digest(sources: dict[str, bytes]) -> str:
    """One digest of all the template sources (names and bytes)."""
    return digest(*(part for name, data in sources.items() for part in (name, data)))


def template_digests(env: jinja2.Environment, sources: dict[str, bytes], store: Store) -> dict[str, str]:
    """Template name -> digest of its source and every template it extends, includes or imports.

    A template that cannot be parsed, or names another by a runtime expression, depends on all of
    them (rendering will report a syntax error at its line anyway).
    """
    every = sources_digest(sources)
    refs = {
        name: store.memo("template-refs", [name, data], partial(_references, env, data, name))
        for name, data in sources.items()
    }
    out: dict[str, str] = {}
    for name in sources:
        closure = _closure(name, refs)
        out[name] = every if closure is None else digest(*(p for n in closure for p in (n, sources[n])))
    return out


def _references(env: jinja2.Environment, data: bytes, name: str) -> tuple[str, ...] | None:
    try:
        names = tuple(jinja2.meta.find_referenced_templates(env.parse(data.decode("utf-8"), name)))
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
        return None
    return None if any(n is None for n in names) else cast(tuple[str, ...], names)


def _closure(name: str, refs: dict[str, tuple[str, ...] | None]) -> list[str] | None:
    """``name`` and every template it reaches, sorted; None when one of them is unknown or dynamic."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        found = refs.get(current)
        if found is None:
            return None
        seen.add(current)
        todo.extend(found)
    return sorted(seen)


# --- compiling ahead: templates/ compiled by a second process while the build imports its code ----


def compiled_folder(root: Path) -> Path:
    """Where Jinja's bytecode cache keeps the compiled templates of the project at ``root``."""
    return root / ".cache" / "templates"


def compile_ahead(root: Path, store_folder: Path, code: str) -> Callable[[], None]:
    """Parse and compile ``templates/`` into the caches in a forked process; returns the wait for it.

    Importing the build's modules takes a fresh process longer than parsing and compiling the
    templates (each ~0.1-0.2 s), and neither needs the other: the child does the templates while the
    parent imports, and the build then finds each template's references in ``store_folder`` (the
    ``template_digests`` memo) and its code in Jinja's bytecode cache. Whatever the child could not
    do (a syntax error), the build does again and reports. Nothing is forked when the caches already
    hold this set of templates (a stamp per code version, store and template sources), or without ``fork``.
    """
    folder = root / "templates"
    compiled = compiled_folder(root)
    sources = template_sources(folder)
    # The stamp names the store too: build and serve keep their template keys in stores of their own.
    stamp = compiled / f"ready-{digest(code, str(store_folder), sources_digest(sources))}"
    if not sources or not hasattr(os, "fork") or stamp.exists():
        return lambda: None
    child = os.fork()
    if child == 0:
        status = 1
        try:
            env = template_env(folder, compiled)
            template_digests(env, sources, Store(store_folder, code))
            for name in sources:
                try:
                    env.get_template(name)
                except Exception:  # the build compiles it again and reports the error
                    continue
            for old in compiled.glob("ready-*"):
                old.unlink(missing_ok=True)
            stamp.touch()
            status = 0
        finally:
            os._exit(status)
    waiting = [child]

    def wait() -> None:  # once: a second wait could meet another process given the same id
        while waiting:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(waiting.pop(), 0)

    return wait
