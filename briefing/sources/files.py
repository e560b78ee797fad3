"""Read an input file from disk into text, or raise a SourceError saying where it is bad."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import fail


@dataclass(frozen=True, slots=True)
class SourceText:
    """A decoded input file: ``text`` has LF line ends and no BOM; ``sha256`` is of the raw bytes."""

    label: str  # path as printed in messages, relative to the project
    text: str
    sha256: str


def decode(label: str, data: bytes) -> SourceText:
    """Decode UTF-8 bytes (BOM allowed), normalise CRLF/CR to LF.

    Raises SourceError for an empty file, a binary file (NUL bytes) or bytes that are not UTF-8,
    pointing at the line and column of the first bad byte.
    """
    if not data.strip():
        raise fail(label, 1, 1, "the file is empty; expected the text of an analysis")
    nul = data.find(b"\0")
    if nul >= 0:
        line, col = _position(data, nul)
        raise fail(label, line, col, "the file is binary (it contains a NUL byte); expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        message = f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
        raise fail(label, line, col, message) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(label, text, hashlib.sha256(data).hexdigest())


def read_source(path: Path, label: str) -> SourceText:
    """Read and decode ``path``; ``label`` is how messages name it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail(label, 1, 1, "file not found") from None
    except OSError as exc:
        raise fail(label, 1, 1, f"cannot read the file: {exc.strerror}") from None
    return decode(label, data)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters of the valid prefix) of a byte offset."""
    before = data[:offset]
    line = before.count(b"\n") + 1
    last = before.rsplit(b"\n", 1)[-1]
    return line, len(last.decode("utf-8", errors="replace")) + 1
