"""A long fuzzing session, run by hand (not in CI): the hardening properties with many examples -> a report.

    python bench/fuzz.py                      # 20,000 examples per target
    python bench/fuzz.py --examples 100000 --only read_text read_markdown

The properties and input strategies are the ones tests/hardening/test_fuzz.py runs with a few hundred
examples in CI; here each target runs with many more, a fresh random seed and no example database, and
a failure is reported (with Hypothesis's shrunk example) without stopping the other targets.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "tests" / "hardening")]

import test_fuzz as props  # noqa: E402
from fuzz_inputs import any_text, encoded, markdown_texts, plain_texts, yaml_texts  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@dataclass(frozen=True)
class Target:
    name: str
    strategies: tuple[st.SearchStrategy[object], ...]
    check: Callable[..., None]


def targets(max_lines: int) -> tuple[Target, ...]:
    def inner(test: object) -> Callable[..., None]:
        return test.hypothesis.inner_test  # type: ignore[attr-defined,no-any-return]

    aliases = st.lists(st.lists(any_text(1, 12), min_size=1, max_size=4), min_size=1, max_size=8)
    parts = st.lists(st.one_of(any_text(0, 30), st.integers(0, 100)), max_size=40)
    year = st.one_of(st.none(), st.integers(-5000, 12000))
    return (
        Target("decode", (encoded(plain_texts(max_lines)),),
               inner(props.test_decode_returns_lf_text_or_a_source_error)),
        Target("read_text", (plain_texts(max_lines),),
               inner(props.test_text_reader_never_raises_and_keeps_every_word)),
        Target("read_text_authors", (plain_texts(max_lines), st.lists(any_text(1, 20), max_size=3)),
               inner(props.test_text_reader_with_author_names_never_raises)),
        Target("read_markdown", (markdown_texts(max_lines),),
               inner(props.test_markdown_reader_never_raises_anything_else)),
        Target("parse_yaml", (yaml_texts(max_lines),),
               inner(props.test_yaml_reader_never_raises_anything_else)),
        Target("find_mentions", (aliases, parts),
               inner(props.test_mention_finder_never_raises_and_finds_only_aliases)),
        Target("find_dates", (props.DATE_TEXT, year, year),
               inner(props.test_date_finder_never_raises_and_gives_real_dates)),
        Target("nesting", (st.lists(props.SPAN, max_size=60), st.integers(0, 40)),
               inner(props.test_fast_nesting_keeps_exactly_what_the_rule_keeps)),
    )


@dataclass
class Outcome:
    name: str
    examples: int
    seconds: float
    failure: str | None


def run(target: Target, examples: int) -> Outcome:
    count = [0]

    def counted(args: tuple[object, ...]) -> None:
        count[0] += 1
        target.check(*args)

    test = settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                    suppress_health_check=list(HealthCheck))(given(st.tuples(*target.strategies))(counted))
    started = time.perf_counter()
    failure = None
    try:
        test()
    except Exception as exc:  # report it and go on with the other targets
        failure = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return Outcome(target.name, count[0], time.perf_counter() - started, failure)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000, help="examples per target (default 20,000)")
    parser.add_argument("--max-lines", type=int, default=60, help="lines per generated document")
    parser.add_argument("--only", nargs="*", help="run only these targets")
    args = parser.parse_args(argv)
    outcomes = []
    for target in targets(args.max_lines):
        if args.only and target.name not in args.only:
            continue
        print(f"{target.name}: {args.examples} examples …", flush=True)
        outcome = run(target, args.examples)
        outcomes.append(outcome)
        print(f"  {outcome.examples} run in {outcome.seconds:.0f} s: {outcome.failure or 'no failure'}", flush=True)
    print("\ntarget             examples   seconds  result")
    for o in outcomes:
        print(f"{o.name:<18} {o.examples:>8} {o.seconds:>9.0f}  {'FAILED: ' + o.failure if o.failure else 'ok'}")
    return 1 if any(o.failure for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
