"""The page plan + templates/ -> HTML bytes per output path (Jinja2, autoescape, StrictUndefined)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes

from briefing.errors import SourceError, fail
from briefing.render.plan import PlannedPage


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


def render_pages(env: jinja2.Environment, pages: Iterable[PlannedPage]) -> dict[str, bytes]:
    """Render every planned page; a template problem raises SourceError at the template's line."""
    out: dict[str, bytes] = {}
    for p in pages:
        out[p.path] = render_page(env, p)
    return out


def compile_templates(env: jinja2.Environment, names: Iterable[str]) -> None:
    """Compile (or load from the bytecode cache) these templates now, with ``render_page``'s errors.

    Done before forking workers, so each template is compiled once and not once per process.
    """
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            message = f"template syntax error: {exc.message}"
            raise fail(f"templates/{exc.name or name}", exc.lineno or 1, 1, message) from None
        except jinja2.TemplateNotFound as exc:
            raise fail(f"templates/{name}", 1, 1, f"template not found: {exc.name}") from None


def render_page(env: jinja2.Environment, p: PlannedPage) -> bytes:
    try:
        template = env.get_template(p.template)
        return template.render(site=p.site, page=p.page).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        message = f"template syntax error: {exc.message}"
        raise fail(f"templates/{exc.name or p.template}", exc.lineno or 1, 1, message) from None
    except jinja2.TemplateNotFound as exc:
        raise fail(f"templates/{p.template}", 1, 1, f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        name, line = _template_frame(exc, p.template)
        raise fail(f"templates/{name}", line, 1, f"undefined value in template: {exc.message}") from None
    except SourceError:
        raise
    except (TypeError, AttributeError, ValueError) as exc:
        name, line = _template_frame(exc, p.template)
        raise fail(f"templates/{name}", line, 1, f"template error while rendering {p.path}: {exc}") from None


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """Find the innermost template frame in a traceback (Jinja maps compiled lines back to template lines)."""
    name, line = default, 1
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".xml"):
            name, line = Path(filename).name, tb.tb_lineno
        tb = tb.tb_next
    return name, line
