"""Input bytes -> text: empty, binary and non-UTF-8 files fail at a line and column; BOM and CR/CRLF are undone."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.sources.files import decode, read_source
from briefing.sources.text import read_text

PDF_LIKE = (
    "A short opening paragraph that wraps over\n"
    "two lines of text.\n"
    "\n"
    "Findings\n"
    "\n"
    "The river council met twice in the winter and the\n"
    "market held steady. 1\n"
    "\n"
    "1 See the ledger of the council.\n"
)


def error_of(data: bytes) -> str:
    with pytest.raises(SourceError) as caught:
        decode("seeds/x.txt", data)
    return str(caught.value)


def test_empty_file_is_an_error() -> None:
    assert error_of(b"") == "seeds/x.txt:1:1: error: the file is empty; expected the text of an analysis"


def test_blank_file_is_as_empty_as_an_empty_one() -> None:
    assert error_of(b" \n\n\t\r\n") == "seeds/x.txt:1:1: error: the file is empty; expected the text of an analysis"


def test_nul_byte_points_at_its_line_and_column() -> None:
    assert error_of(b"first line\nab\0cd\n") == (
        "seeds/x.txt:2:3: error: the file is binary (it contains a NUL byte); expected UTF-8 text"
    )


def test_invalid_utf8_points_at_the_bad_byte() -> None:
    assert error_of(b"one\ntwo\nthr\xffee\n") == (
        "seeds/x.txt:3:4: error: byte 0xff is not valid UTF-8; save the file as UTF-8"
    )


def test_invalid_utf8_column_counts_characters_not_bytes() -> None:
    # "café " is five characters but six bytes; the bad byte is the sixth character.
    assert error_of("café ".encode() + b"\xe9t\xe9") == (
        "seeds/x.txt:1:6: error: byte 0xe9 is not valid UTF-8; save the file as UTF-8"
    )


def test_latin1_file_is_refused_not_guessed() -> None:
    assert error_of("Baku\nna\u00efve".encode("latin-1")) == (
        "seeds/x.txt:2:3: error: byte 0xef is not valid UTF-8; save the file as UTF-8"
    )


def test_bom_is_dropped() -> None:
    source = decode("seeds/x.txt", b"\xef\xbb\xbfHello\n")
    assert source.text == "Hello\n"
    assert source.sha256 == hashlib.sha256(b"\xef\xbb\xbfHello\n").hexdigest()


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_ends_give_the_same_document_as_lf(newline: str) -> None:
    lf = read_text(decode("seeds/x.txt", PDF_LIKE.encode()))
    other = read_text(decode("seeds/x.txt", PDF_LIKE.replace("\n", newline).encode()))
    assert other.text == PDF_LIKE
    assert replace(other, sha256=lf.sha256) == lf
    assert other.sha256 != lf.sha256  # the hash is of the bytes as they are on disk


def test_bom_and_crlf_together_read_like_plain_lf() -> None:
    lf = read_text(decode("seeds/x.txt", PDF_LIKE.encode()))
    bom = read_text(decode("seeds/x.txt", b"\xef\xbb\xbf" + PDF_LIKE.replace("\n", "\r\n").encode()))
    assert replace(bom, sha256=lf.sha256) == lf
    assert [p.text for p in bom.paragraphs()] == [
        "A short opening paragraph that wraps over two lines of text.",
        "The river council met twice in the winter and the market held steady.",
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        read_source(tmp_path / "nope.txt", "seeds/nope.txt")
    assert str(caught.value) == "seeds/nope.txt:1:1: error: file not found"


def test_read_source_decodes_what_is_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"Line one\r\nLine two\r\n")
    source = read_source(path, "seeds/a.txt")
    assert (source.label, source.text) == ("seeds/a.txt", "Line one\nLine two\n")


def test_input_files_are_listed_in_name_order_without_folders(tmp_path: Path) -> None:
    from briefing.sources.content import _files, seed_paths

    folder = tmp_path / "briefings"
    folder.mkdir()
    for name in ("b.yaml", "A.yaml", "a.yaml", ".hidden.yaml", "notes.txt", "c.yaml.bak"):
        (folder / name).write_text("x", "utf-8")
    (folder / "dir.yaml").mkdir()
    (folder / "link.yaml").symlink_to(folder / "a.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "gone.yaml")
    expected = sorted(p for p in folder.glob("*.yaml") if p.is_file())  # the listing it replaced
    assert _files(folder, ".yaml") == expected
    assert [p.name for p in expected] == [".hidden.yaml", "A.yaml", "a.yaml", "b.yaml", "link.yaml"]
    assert _files(tmp_path / "absent", ".yaml") == [] and _files(folder / "notes.txt", ".yaml") == []
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("z.txt", "B.md", "a.md", "x.pdf"):
        (seeds / name).write_text("x", "utf-8")
    listed = [p.name for p in sorted(seeds.iterdir()) if p.suffix in (".txt", ".md")]
    assert [p.name for p in seed_paths(seeds)] == listed == ["B.md", "a.md", "z.txt"]
    assert seed_paths(tmp_path / "absent") == []
