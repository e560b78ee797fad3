"""YAML text -> plain data plus the line and column of every value, checked against a JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from briefing.errors import SourceError, SourceErrors, fail
from briefing.sources.files import SourceText

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed YAML: ``data`` (dates as ISO strings) and ``marks``: JSON path -> (line, col), 1-based."""

    label: str
    data: Any
    marks: dict[Path_, tuple[int, int]]
    lines: tuple[str, ...]

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
    """Parse one YAML document; syntax errors and duplicate keys raise SourceError at their position."""
    lines = tuple(source.text.split("\n"))
    try:
        node = yaml.compose(source.text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise fail(source.label, line, col, f"YAML syntax error: {problem}", _line(lines, line)) from None
    except yaml.YAMLError as exc:
        raise fail(source.label, 1, 1, f"YAML error: {exc}") from None
    marks: dict[Path_, tuple[int, int]] = {}
    loader = yaml.SafeLoader("")  # only its constructors are used, on nodes composed above
    data = _convert(loader, source.label, lines, node, (), marks) if node is not None else None
    return YamlDoc(source.label, data, marks, lines)


def _convert(
    loader: yaml.SafeLoader,
    label: str,
    lines: tuple[str, ...],
    node: yaml.Node,
    path: Path_,
    marks: dict[Path_, tuple[int, int]],
) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(loader.construct_object(key_node))
            if key in out:
                line = key_node.start_mark.line + 1
                raise fail(label, line, key_node.start_mark.column + 1, f"duplicate key {key!r}", _line(lines, line))
            out[key] = _convert(loader, label, lines, value_node, (*path, key), marks)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, label, lines, item, (*path, i), marks) for i, item in enumerate(node.value)]
    value = loader.construct_object(node)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]  # dates stay text: the schema checks their shape
    return value


def _line(lines: tuple[str, ...], line: int) -> str | None:
    return lines[line - 1] if 0 < line <= len(lines) else None


@cache
def schema(name: str) -> dict[str, Any]:
    """Load ``briefing/schemas/<name>.schema.json`` (cached: the files never change at run time)."""
    text = resources.files("briefing.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(doc: YamlDoc, schema_name: str) -> None:
    """Check ``doc.data`` against a schema; raise SourceErrors with every problem, each at its line."""
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    errors = [_explain(doc, e) for e in validator.iter_errors(doc.data)]
    if errors:
        raise SourceErrors(errors)


def _explain(doc: YamlDoc, error: jsonschema.ValidationError) -> SourceError:
    path: Path_ = tuple(error.absolute_path)
    where = ".".join(str(p) for p in path) or "the document"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        if extra:
            key = extra[0]
            line, col = doc.where((*path, key))
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
