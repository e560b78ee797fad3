"""YAML text -> plain data plus the line and column of every value, checked against a JSON Schema."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from briefing.errors import SourceError, SourceErrors, fail
from briefing.sources.files import SourceText

if TYPE_CHECKING:
    import jsonschema

Path_ = tuple[str | int, ...]
TIMESTAMP = "tag:yaml.org,2002:timestamp"
TEXT = "tag:yaml.org,2002:str"
MAX_FLOW_DEPTH = 100
# libyaml's parser when PyYAML was built with it: the same nodes and marks, some thirty times faster.
LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FLOW_BRACKET = re.compile(r"[\[\]{}]")
# The schema keywords ``conforms`` decides by itself, with jsonschema's meaning (``re.search`` for a
# pattern, Python types as jsonschema maps them); a schema with any other keyword goes to jsonschema.
SCHEMA_TYPES: dict[str, type] = {"object": dict, "array": list, "string": str, "boolean": bool}
SCHEMA_KEYWORDS = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "pattern", "minLength", "maxLength", "enum"}
)
SCHEMA_ANNOTATIONS = frozenset({"$schema", "title", "description"})
SCHEMA_KNOWN = SCHEMA_KEYWORDS | SCHEMA_ANNOTATIONS
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed YAML: ``data`` (dates as ISO strings); ``marks``: JSON path -> (line, col) of its value,
    1-based; ``keys``: the path of each mapping entry -> (line, col) of its key."""

    label: str
    data: Any
    marks: dict[Path_, tuple[int, int]]
    lines: tuple[str, ...]
    keys: dict[Path_, tuple[int, int]]

    def where(self, path: Path_) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest parent that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def error(self, path: Path_, message: str) -> SourceError:
        line, col = self.where(path)
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else None
        return fail(self.label, line, col, message, source_line)


def parse_yaml(source: SourceText) -> YamlDoc:
    """Parse one YAML document; every problem raises SourceError at its position.

    Syntax errors, duplicate keys, keys that are not plain text, unknown tags, values that cannot be
    read (``!!int abc``) and aliases (``*name``: a recursive or exponentially repeated alias would
    never finish converting) are errors. Dates stay the text they were written as.
    """
    lines = tuple(source.text.split("\n"))
    _check_nesting(source.label, lines)
    try:
        node = _compose(source.text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(source.label, line, col, f"YAML syntax error: {problem}", _line(lines, line)) from None
    except yaml.YAMLError as exc:
        raise fail(source.label, 1, 1, f"YAML error: {exc}") from None
    except RecursionError:
        raise fail(source.label, 1, 1, "YAML error: the document nests too deeply to read") from None
    marks: dict[Path_, tuple[int, int]] = {}
    keys: dict[Path_, tuple[int, int]] = {}
    loader = yaml.SafeLoader("")  # only its constructors are used, on nodes composed above
    reader = _Reader(loader, source.label, lines, marks, keys, set())
    data = reader.convert(node, (), node.start_mark) if node is not None else None
    return YamlDoc(source.label, data, marks, lines, keys)


@dataclass(frozen=True, slots=True)
class _Reader:
    """Converts composed nodes to plain data; ``seen`` (ids of nodes converted so far) finds aliases."""

    loader: yaml.SafeLoader
    label: str
    lines: tuple[str, ...]
    marks: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]
    seen: set[int]

    def convert(self, node: yaml.Node, path: Path_, used_at: yaml.Mark) -> Any:
        if id(node) in self.seen:
            raise self.error(_alias_mark(self.lines) or used_at, "YAML aliases (*name) are not supported in "
                             f"content files; write out the value from line {node.start_mark.line + 1} instead")
        self.seen.add(id(node))
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.key(key_node)
                if key in out:
                    raise self.error(key_node.start_mark, f"duplicate key {key!r}")
                self.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                out[key] = self.convert(value_node, (*path, key), key_node.start_mark)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i), item.start_mark) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node.start_mark, "a key must be plain text, not a list or a mapping")
        self.seen.add(id(node))
        return str(self.scalar(node))

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag == TIMESTAMP:
            return node.value  # dates stay text: the schema checks their shape, the readers their days
        if node.tag == TEXT and type(node) is yaml.ScalarNode:
            return node.value  # what SafeLoader's str constructor returns, without its bookkeeping
        try:
            return self.loader.construct_object(node)
        except yaml.MarkedYAMLError as exc:
            raise self.error(node.start_mark, f"cannot read the value: {exc.problem}") from None
        except Exception:  # PyYAML's constructors fail in many ways on odd scalars ("!!int" alone: IndexError)
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.error(node.start_mark, f"cannot read {node.value!r} as a YAML {kind}") from None

    def error(self, mark: yaml.Mark, message: str) -> SourceError:
        line = mark.line + 1
        return fail(self.label, line, mark.column + 1, message, _line(self.lines, line))


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml; on an error, again with PyYAML, whose messages say what was found and expected."""
    try:
        return yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError:
        if LOADER is yaml.SafeLoader:
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _check_nesting(label: str, lines: tuple[str, ...]) -> None:
    """Refuse brackets nested past MAX_FLOW_DEPTH before PyYAML reads them.

    PyYAML's scanner takes time quadratic in the nesting of ``[`` and ``{`` and its composer recurses
    once per level, so a few thousand brackets would stall the build. Brackets inside quoted text
    are counted too: real content never comes near the limit.
    """
    depth = 0
    for number, line in enumerate(lines, start=1):
        if not depth and "[" not in line and "{" not in line:
            continue  # a closer at depth 0 leaves it at 0: nothing on this line can count
        for m in FLOW_BRACKET.finditer(line):
            depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_FLOW_DEPTH:
                raise fail(label, number, m.start() + 1, f"brackets nest more than {MAX_FLOW_DEPTH} levels deep", line)


def _alias_mark(lines: tuple[str, ...]) -> yaml.Mark | None:
    """Where the first alias is written (composed nodes only know their anchor)."""
    for event in yaml.parse("\n".join(lines), Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark
    return None


def _line(lines: tuple[str, ...], line: int) -> str | None:
    return lines[line - 1] if 0 < line <= len(lines) else None


@cache
def schema(name: str) -> dict[str, Any]:
    """Load ``briefing/schemas/<name>.schema.json`` (cached: the files never change at run time).

    Read beside this package's own files, as ``fingerprint.code_version`` reads them (importing
    ``importlib.resources`` for it would cost more than reading every schema).
    """
    text = (SCHEMAS / f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(doc: YamlDoc, schema_name: str) -> None:
    """Check ``doc.data`` against a schema; raise SourceErrors with every problem, each at its line."""
    if conforms(doc.data, schema(schema_name)):
        return  # jsonschema would find nothing: it runs only to find and word the problems
    import jsonschema  # here, not at the top: a build with valid content never needs it (~50 ms to import)

    validator = jsonschema.Draft202012Validator(schema(schema_name))
    errors = [_explain(doc, e) for e in validator.iter_errors(doc.data)]
    if errors:
        raise SourceErrors(errors)


def conforms(instance: Any, rules: Any) -> bool:
    """True only when jsonschema would find no error; False also for a schema keyword not handled here."""
    if not isinstance(rules, dict) or not rules.keys() <= SCHEMA_KNOWN:
        return False
    kind = rules.get("type")
    if kind is not None and not (isinstance(kind, str) and isinstance(instance, SCHEMA_TYPES.get(kind, ()))):
        return False
    if "enum" in rules and not (isinstance(instance, str) and instance in rules["enum"]):
        return False  # a text equal to one listed; any other value is left to jsonschema
    if isinstance(instance, str):
        return _text_conforms(instance, rules)
    if isinstance(instance, dict):
        return _mapping_conforms(instance, rules)
    if isinstance(instance, list) and "items" in rules:
        return all(conforms(item, rules["items"]) for item in instance)
    return True


def _text_conforms(text: str, rules: dict[str, Any]) -> bool:
    if "pattern" in rules and not _pattern(rules["pattern"]).search(text):
        return False
    return rules.get("minLength", 0) <= len(text) <= rules.get("maxLength", len(text))


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled as jsonschema's ``re.search(pattern, text)`` compiles it (no flags)."""
    return re.compile(pattern)


def _mapping_conforms(mapping: dict[str, Any], rules: dict[str, Any]) -> bool:
    properties = rules.get("properties", {})
    extra = rules.get("additionalProperties", True)
    if not all(key in mapping for key in rules.get("required", ())):
        return False
    for key, value in mapping.items():
        if key in properties:
            if not conforms(value, properties[key]):
                return False
        elif extra is not True and (extra is False or not conforms(value, extra)):
            return False
    return True


def _path_text(path: Path_) -> str:
    """A value's place as a reader finds it: ``[3].names[0].side`` (list positions from 0), or "the document"."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.removeprefix(".") or "the document"


def _explain(doc: YamlDoc, error: jsonschema.ValidationError) -> SourceError:
    path: Path_ = tuple(error.absolute_path)
    where = _path_text(path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        if extra:
            key = extra[0]
            line, col = doc.keys.get((*path, key)) or doc.where((*path, key))  # the key itself is the mistake
            message = f"unknown key {key!r} in {where}; expected one of: {', '.join(allowed)}"
            return fail(doc.label, line, col, message, _line(doc.lines, line))
    if error.validator == "required":
        return doc.error(path, f"{where}: {error.message}")
    if error.validator == "type":
        found = type(error.instance).__name__.replace("str", "text").replace("NoneType", "nothing")
        return doc.error(path, f"{where}: expected {error.validator_value}, found {found} {error.instance!r}")
    if error.validator == "pattern":
        return doc.error(path, f"{where}: {error.instance!r} does not have the expected form ({error.validator_value})")
    return doc.error(path, f"{where}: {error.message}")
