"""The edges module: strict reading with a size cap, output checks, atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from align.edges import (
    InputError,
    OutputError,
    check_output,
    decode,
    file_identity,
    format_size,
    parse_size,
    read_bytes,
    read_text,
    remove_stale_temporaries,
    same_file,
    write_atomic,
    write_file,
)

# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("نص عربي".encode(), "نص عربي"),
        (b"\xef\xbb\xbf" + "نص".encode(), "نص"),
        (b"\xff\xfe" + "نص".encode("utf-16-le"), "نص"),
        (b"\xfe\xff" + "نص".encode("utf-16-be"), "نص"),
        (b"\xff\xfe\x00\x00" + "نص".encode("utf-32-le"), "نص"),
        (b"", ""),
    ],
)
def test_decode_reads_utf8_and_what_a_byte_order_mark_names(data, text):
    assert decode(data, "ORIGINAL a.txt") == text


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"abc \xc7\xe1", ["not UTF-8", "byte 0xc7 at offset 4", "iconv"]),
        (b"\xef\xbb\xbfab\xff", ["not UTF-8", "offset 5"]),  # the offset counts the mark
        (b"\xff\xfeA\x00\x00\xd8B\x00", ["UTF-16 byte order mark", "offset 4"]),
        (b"\xfe\xff\x00A\x00", ["UTF-16", "offset 4"]),
        (b"text\x00with a NUL", ["binary"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary"]),
    ],
)
def test_decode_names_the_input_and_the_offset_of_the_first_bad_byte(data, words):
    with pytest.raises(InputError) as error:
        decode(data, "ORIGINAL a.txt")
    message = str(error.value)
    assert message.startswith("ORIGINAL a.txt ") and "\n" not in message
    for word in words:
        assert word in message


def test_reading_stops_at_the_cap_even_on_an_endless_device():
    with pytest.raises(InputError, match="larger than 1 MiB, the input size limit"):
        read_bytes("/dev/zero", "ORIGINAL", 1024**2)


def test_read_text_refuses_folders_missing_and_blank_files(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n")
    for path, words in (
        (tmp_path, "is a folder"),
        (tmp_path / "none.txt", "not found"),
        (blank, "is empty"),
    ):
        with pytest.raises(InputError, match=words):
            read_text(str(path), "ORIGINAL")


@pytest.mark.parametrize(
    ("text", "size"),
    [("20M", 20 * 1024**2), ("1.5g", 3 * 1024**3 // 2), ("800KiB", 800 * 1024), ("123", 123)],
)
def test_sizes_are_read_with_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "M", "-5", "0", "12 apples"])
def test_a_size_that_is_not_one_is_a_value_error(text):
    with pytest.raises(ValueError):
        parse_size(text)


def test_sizes_are_shown_in_units():
    assert [format_size(n) for n in (300, 2048, 20 * 1024**2)] == ["300 bytes", "2 KiB", "20 MiB"]


# --- checking -------------------------------------------------------------------------------


def test_an_output_is_an_input_through_a_symbolic_or_hard_link(tmp_path):
    original = tmp_path / "a.txt"
    original.write_text("text")
    (tmp_path / "soft.json").symlink_to(original)
    os.link(original, tmp_path / "hard.json")
    for name in ("a.txt", "soft.json", "hard.json", "../" + tmp_path.name + "/a.txt"):
        path = str(tmp_path / name)
        assert same_file(path, str(original))
        with pytest.raises(OutputError, match="would overwrite its input"):
            check_output(path, [str(original)])
    assert not same_file(str(tmp_path / "other.json"), str(original))


def test_file_identity_is_one_for_every_spelling(tmp_path):
    (tmp_path / "out").mkdir()
    spellings = [tmp_path / "out/r.json", tmp_path / "out/../out/r.json", tmp_path / "./out/r.json"]
    assert len({file_identity(p) for p in spellings}) == 1  # not yet written
    spellings[0].write_text("{}")
    assert len({file_identity(p) for p in spellings}) == 1
    assert file_identity(tmp_path / "out/s.json") != file_identity(spellings[0])


def test_check_output_allows_new_files_in_new_folders_and_devices(tmp_path):
    assert check_output(str(tmp_path / "new" / "deeper" / "r.json")).name.endswith("r.json")
    assert check_output("/dev/null").path == "/dev/null"
    assert check_output("-").name == "standard output"
    assert not (tmp_path / "new").exists()  # checking makes nothing
    assert list(tmp_path.iterdir()) == []


# --- writing --------------------------------------------------------------------------------


def test_write_atomic_keeps_permissions_follows_links_and_makes_folders(tmp_path):
    target = tmp_path / "target.json"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    write_atomic(tmp_path / "a" / "b" / "c.json", "deep")
    assert (tmp_path / "a" / "b" / "c.json").read_text() == "deep"


def test_write_file_writes_a_device_in_place():
    write_file(Path(os.devnull), "nothing to see")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # not replaced by a regular file


def test_only_the_temporaries_of_writers_that_are_gone_are_removed(tmp_path):
    output = tmp_path / "r.json"
    names = {
        ".r.json.5d41402abc4b2a76b9719d911017c592.tmp": False,  # an earlier version's
        f".r.json.{2**22 + 1}-0123456789abcdef.tmp": False,  # no such process
        f".r.json.{os.getpid()}-0123456789abcdef.tmp": True,  # a writer still at work
        ".other.json.5d41402abc4b2a76b9719d911017c592.tmp": True,  # another output's
        ".r.json.notes.tmp": True,  # not one of ours
    }
    for name in names:
        (tmp_path / name).write_text("part")
    removed = remove_stale_temporaries(output)
    assert sorted(p.name for p in removed) == sorted(n for n, kept in names.items() if not kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, k in names.items() if k)
