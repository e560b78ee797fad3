"""Command line: ``build`` (default), ``serve`` and ``check``; errors print as path:line:col and exit 2."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import SourceError, SourceErrors

EXIT_OK, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the research-briefing site.")
    p.add_argument("--root", type=Path, default=Path("."), help="project folder (seeds/, content/, templates/, static/)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print every step")
    sub = p.add_subparsers(dest="command")
    b = sub.add_parser("build", help="build the site (the default)")
    _build_options(b)
    s = sub.add_parser("serve", help="build, serve on loopback, rebuild and reload on change")
    _build_options(s)
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--host", default="127.0.0.1")
    c = sub.add_parser("check", help="validate everything and report coverage; writes nothing")
    c.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    return p


def _build_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("_site"), help="output folder (default _site)")
    p.add_argument("--base-url", help="absolute URL the site is published at (canonical links, feeds, citations)")
    p.add_argument("--portable", action="store_true", help="links that work opened from disk (file://)")
    p.add_argument("--no-search", action="store_true", help="skip the Pagefind search index")


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    command = args.command or "build"
    if command == "build" and not hasattr(args, "out"):
        args = parser().parse_args([*(argv or sys.argv[1:]), "build"])
    try:
        if command == "serve":
            from briefing.serve import serve

            return serve(args)
        if command == "check":
            from briefing.check import run_check

            return run_check(args.root, strict=args.strict, quiet=args.quiet)
        return _build(args)
    except SourceErrors as exc:
        for e in exc.errors:
            print(e, file=sys.stderr)
        return EXIT_ERRORS
    except SourceError as exc:
        print(exc, file=sys.stderr)
        return EXIT_ERRORS


def _build(args: argparse.Namespace) -> int:
    from briefing.pipeline import Options, build

    started = time.perf_counter()
    root: Path = args.root
    out: Path = args.out if args.out.is_absolute() else root / args.out
    result = build(Options(root, out, args.base_url, args.portable, search=not args.no_search))
    for w in result.warnings:
        if not args.quiet:
            print(w.headline(), file=sys.stderr)
    if not args.quiet:
        took = time.perf_counter() - started
        print(f"built {result.pages} pages ({result.files} files) into {out}: "
              f"{len(result.warnings)} warnings, {took:.2f} s")
    return EXIT_OK
