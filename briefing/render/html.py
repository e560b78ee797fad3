"""The page plan + templates/ -> HTML bytes per output path (Jinja2, autoescape, StrictUndefined)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2

from briefing.errors import SourceError, fail
from briefing.render.plan import PlannedPage


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
