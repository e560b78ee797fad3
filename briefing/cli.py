"""Command line: ``build`` (default), ``serve`` and ``check``; errors print as path:line:col and exit 2."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from briefing.errors import SourceError, SourceErrors

if TYPE_CHECKING:
    from briefing.options import Options, Result

EXIT_OK, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the research-briefing site.")
    p.add_argument("--root", type=Path, default=Path("."),
                   help="project folder (seeds/, content/, templates/, static/)")
    _chatter_options(p, False)
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site (the default)")
    _build_options(b)
    s = sub.add_parser("serve", help="build, serve on loopback, rebuild and reload on change")
    _build_options(s)
    s.add_argument("--port", type=int, default=8000, help="port to listen on (0 picks a free one)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    c = sub.add_parser("check", help="validate everything and report coverage; writes nothing")
    c.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    for command in (b, s, c):
        _chatter_options(command, argparse.SUPPRESS)  # also accepted after the command name
    return p


def _chatter_options(p: argparse.ArgumentParser, default: object) -> None:
    p.add_argument("-q", "--quiet", action="store_true", default=default, help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", default=default, help="print every step and its time")


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default _site)")
    p.add_argument("--base-url", help="absolute URL the site is published at (canonical links, feeds, citations)")
    p.add_argument("--portable", action="store_true", help="links that work opened from disk (file://)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")
    p.add_argument("--no-cache", action="store_true", help="ignore .cache/ and the previous build: render everything")


def run() -> NoReturn:
    """The command's process: ``main``, then an exit that frees nothing (``build.py`` and the script).

    A large build ends holding a million objects (the cached units, the index, the page plan). Freeing
    them one by one, when the build returns and again as the interpreter shuts down, took 0.1-0.2 s of
    a one-briefing rebuild at N = 1,000; the operating system takes the whole process back at once.
    Compilers skip the same work the same way (clang's ``-disable-free``). Only for a process that
    ends here: tests and ``serve`` call ``main``, and get everything freed as usual.
    """
    keep: list[object] = []
    status = main(keep=keep)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None, keep: list[object] | None = None) -> int:
    """Run the command line; returns the exit status. ``keep``: see ``pipeline.build``."""
    args = parser().parse_args(with_command(list(sys.argv[1:] if argv is None else argv)))
    command = args.command
    try:
        if command == "serve":
            with quiet_collector():
                compiled = _compile_ahead(args.root, None if args.no_cache else "serve/objects")
                from briefing.serve import serve

            try:
                return serve(args, templates_ready=compiled)
            finally:
                compiled()
        if command == "check":
            from briefing.check import run_check

            return run_check(args.root, strict=args.strict, quiet=args.quiet, verbose=args.verbose)
        return _build(args, keep)
    except SourceErrors as exc:
        print_errors(exc.errors)
        return EXIT_ERRORS
    except SourceError as exc:
        print_errors([exc])
        return EXIT_ERRORS


COMMANDS = ("build", "serve", "check")
TOP_LEVEL_FLAGS = ("-q", "--quiet", "-v", "--verbose", "-h", "--help")


def with_command(arguments: list[str]) -> list[str]:
    """Insert the default command, ``build``, after the top-level options when none is named.

    So ``build.py --no-search`` means ``build.py build --no-search``.
    """
    i = 0
    while i < len(arguments):
        arg = arguments[i]
        if arg in COMMANDS:
            return arguments
        if arg == "--root":
            i += 2
        elif arg.startswith("--root=") or arg in TOP_LEVEL_FLAGS:
            i += 1
        else:
            break
    if any(a in ("-h", "--help") for a in arguments[:i]):
        return arguments
    return [*arguments[:i], "build", *arguments[i:]]


def print_errors(errors: Sequence[SourceError], stream: TextIO | None = None) -> None:
    """Each error with its source line and caret, to stderr."""
    for e in errors:
        print(e, file=stream or sys.stderr)


def _build(args: argparse.Namespace, keep: list[object] | None = None) -> int:
    from briefing.options import Options

    started = time.perf_counter()
    root: Path = args.root
    out: Path = args.out if args.out.is_absolute() else root / args.out
    options = Options(root, out, args.base_url, args.portable, search=not args.no_search, cache=not args.no_cache)
    inputs_digest, result = _unchanged(options)
    if result is None:
        with quiet_collector():
            # In another process while this one imports the build's modules:
            compiled = _compile_ahead(root, "build" if options.cache else None)
            from briefing.pipeline import build  # the heavy imports, only when there is work to do

        bar = ProgressLine(sys.stderr, enabled=not args.quiet)
        try:
            result = build(options, progress=bar.update, inputs_digest=inputs_digest, templates_ready=compiled,
                           keep=keep)
        finally:
            compiled()
            bar.clear()
    if not args.quiet:
        for w in result.warnings:
            print(w.headline(), file=sys.stderr)
    if args.verbose:
        for step, seconds in result.steps:
            print(f"  {step}: {seconds:.3f} s", file=sys.stderr)
    if not args.quiet:
        print(summary(result.pages, result.rendered, len(result.warnings), time.perf_counter() - started, out))
    return EXIT_OK


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """Import the heavy modules without the cyclic garbage collector, then set what they made aside.

    Importing makes tens of thousands of long-lived objects (modules, classes, functions, compiled
    patterns) and no garbage worth collecting, yet it triggers collections that scan them again and
    again. ``gc.freeze`` then keeps them out of every later collection, in this process and in the
    workers it forks, and out of the interpreter's last collection at exit, which would otherwise
    take the cycles among them apart one by one before the process ends and the system reclaims
    everything anyway. On the two-seed site this is 60-100 ms of a 0.55 s cold build, most of it
    at exit (``bench/README.md``). Only the first time in a process: a freeze also keeps whatever
    garbage exists at that moment, which a process that builds again and again (a test run calling
    ``main``) must not pile up.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
        if enabled:
            gc.enable()


def _compile_ahead(root: Path, store: str | None) -> Callable[[], None]:
    """Start compiling the templates into the caches in a forked process (``render/templates.py``);
    returns the wait for it, which the build calls before it uses them. ``store``: the name of the
    build's store under ``.cache/`` (None: the build uses no cache, nothing is compiled ahead)."""
    if store is None:
        return lambda: None
    from briefing.fingerprint import code_version
    from briefing.render.templates import compile_ahead
    from briefing.store import store_folder

    return compile_ahead(root, store_folder(root, store), code_version())


def _unchanged(options: Options) -> tuple[str | None, Result | None]:
    """The inputs' fingerprint, and the last build's result if nothing it was made from has changed.

    Standard library only: a build with nothing to do imports nothing else.
    """
    if not options.cache:
        return None, None
    from briefing.fingerprint import code_version, fingerprint, options_text, unchanged_build

    found = fingerprint(options.root, code_version(), options_text(options))
    return found, None if found is None else unchanged_build(options, found)


def summary(pages: int, rendered: int, warnings: int, seconds: float, out: Path) -> str:
    """The one line a build ends with: pages written, warnings, time taken."""
    kept = f" ({pages - rendered} unchanged)" if rendered < pages else ""
    plural = "" if warnings == 1 else "s"
    return f"wrote {pages} pages{kept} into {out}: {warnings} warning{plural}, {seconds:.2f} s"


class ProgressLine:
    """A counted line ("rendering 12/185") rewritten in place on a terminal; silent when not a TTY."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.shown = False

    def update(self, done: int, total: int) -> None:
        # Redraw at most ~100 times per build: a terminal write per page would cost more than the page.
        if not self.enabled or (done != total and done % max(total // 100, 1)):
            return
        width = 30
        filled = width * done // max(total, 1)
        self.stream.write(f"\rrendering [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
