"""The edges of `align`: reading what the user gives it and writing what it gives back.

`align report`, `align eval` and `align batch` all read and write through this module, so
that they fail the same way, with one line that names the file:

- inputs are read with a size cap and decoded strictly (UTF-8, or UTF-16/32 after a byte
  order mark), an error naming the file and the byte offset of the first bad byte;
- outputs are checked before any alignment starts: an output that is one of the inputs
  (the same file, also through a link), a folder, a read-only file, a folder that cannot
  be written or a closed standard output is refused at once, not after minutes of work;
- files are written atomically: a temporary file beside the output, then a rename, so an
  output holds its old content or all of the new one, never part (a full disk, a file
  size limit, a kill); temporaries left behind by a killed run are removed by the next;
- standard output is written as UTF-8 bytes, and a closed or full one is an error.

Every failure is an `InputError` (a bad input) or an `OutputError` (an output that cannot
be written), whose message is one line for the user; the command line shows it as
`align: error: MESSAGE` and exits with status 1.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import stat
import sys
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.safetext import clean
from align.segmenting import looks_like

# What is written: a text, or its consecutive pieces (a long report, rendered as it is
# written: see align.reporting.render_pieces).
Text = str | Iterable[str]

DEFAULT_MAX_INPUT_BYTES = 20 * 1024**2  # about 100,000 sentences: hours of embedding
STDIO = "-"

_LANGUAGE_NAMES = {"ar": "Arabic", "en": "English"}
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


class InputError(ValueError):
    """Bad input: the message is one line that names the file and what is wrong."""

    @property
    def message(self) -> str:
        return str(self)


class OutputError(InputError):
    """An output that cannot be written (or the write failed): one line, naming it."""


def display_name(path: str) -> str:
    """How a path is named in messages and reports: '-' is standard input."""
    return "standard input" if path == STDIO else path


# --- reading --------------------------------------------------------------------------------


def read_text(path: str, role: str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> str:
    """The text of the file at `path` ('-': standard input), which must hold some text.

    `role` names it in errors ("ORIGINAL"). Raises InputError for a missing file, a folder,
    a file larger than `max_bytes`, text that is not UTF-8 (or UTF-16/32 with a byte order
    mark), binary data, or a file with nothing but white space.
    """
    name = display_name(path)
    text = decode(read_bytes(path, role, max_bytes), f"{role} {name}")
    if not text.strip():
        raise InputError(f"{role} {name} is empty")
    return text


def read_bytes(path: str, role: str, max_bytes: int = DEFAULT_MAX_INPUT_BYTES) -> bytes:
    """The bytes of the file at `path` ('-': standard input), at most `max_bytes` of them:
    a larger input is an InputError, found without reading it all (`/dev/zero` is too)."""
    name = display_name(path)
    too_large = InputError(
        f"{role} {name} is larger than {format_size(max_bytes)}, the input size limit; "
        "raise it with --max-input-size if this is intended"
    )
    if path == STDIO:
        if sys.stdin is None:
            raise InputError(f"{role} is standard input, which is closed")
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large
        return data
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise too_large
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise unreadable(error, f"{role} {name}") from None
    if len(data) > max_bytes:
        raise too_large
    return data


def unreadable(error: OSError, what: str) -> InputError:
    """The InputError for `error`, met reading `what` ("ORIGINAL a.txt", "GOLD_DIR d")."""
    for kind, reason in (
        (FileNotFoundError, "not found"),
        (IsADirectoryError, "is a folder, not a text file"),
        (NotADirectoryError, "is not a folder"),
    ):
        if isinstance(error, kind):
            return InputError(f"{what} {reason}")
    return InputError(f"cannot read {what}: {_reason(error)}")


def decode(data: bytes, name: str) -> str:
    """`data` as text: UTF-8, or the encoding its byte order mark names, decoded strictly.
    `name` ("ORIGINAL a.txt") names the input in the InputError for bytes that are not
    text, which gives the offset of the first bad byte."""
    encoding, bom = next(((e, b) for b, e in _BOMS if data.startswith(b)), ("utf-8", b""))
    try:
        text = data[len(bom) :].decode(encoding)
    except UnicodeDecodeError as error:
        offset = len(bom) + error.start
        if encoding == "utf-8" and b"\x00" not in data:
            raise InputError(
                f"{name} is not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); "
                "convert it, e.g. iconv -f cp1256 -t utf-8"
            ) from None
        if encoding != "utf-8":
            label = encoding.upper().removesuffix("-LE").removesuffix("-BE")
            raise InputError(
                f"{name} starts with a {label} byte order mark but is not {label} text "
                f"({error.reason} at byte offset {offset})"
            ) from None
        text = ""  # bytes that are not UTF-8 and hold NULs: binary, said below
    if "\x00" in text or (not text and b"\x00" in data):
        raise InputError(f"{name} looks like a binary file, not text")
    return text


def check_languages(src_text: str, src_lang: str, tgt_text: str, tgt_lang: str) -> None:
    """Refuse texts given the wrong way round (an Arabic translation of an English original)
    or not in their languages, with an InputError that says which."""
    src_ok, tgt_ok = looks_like(src_text, src_lang), looks_like(tgt_text, tgt_lang)
    if not src_ok and not tgt_ok and looks_like(src_text, tgt_lang):
        raise InputError(
            f"the texts seem to be the wrong way round: ORIGINAL does not look "
            f"{_language(src_lang)} and TRANSLATION does not look {_language(tgt_lang)}; "
            f"swap them, or set --src-lang/--tgt-lang"
        )
    for ok, role, lang in ((src_ok, "ORIGINAL", src_lang), (tgt_ok, "TRANSLATION", tgt_lang)):
        if not ok:
            raise InputError(
                f"{role} does not look {_language(lang)}; set --src-lang/--tgt-lang if the "
                f"languages are not Arabic and English"
            )


def parse_size(text: str) -> int:
    """A size in bytes from "20M", "1.5G", "800k" or "1000000" (K, M, G: powers of 1024)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not a size such as 20M, 1G or 500000")
    number, unit = match.groups()
    size = int(float(number) * 1024 ** " kmg".index(unit.lower() or " "))
    if size < 1:
        raise ValueError(f"{text!r} is not a size of at least one byte")
    return size


def format_size(size: int) -> str:
    """`size` bytes for people: "20 MiB", "512 KiB", "300 bytes"."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


# --- checking and writing -------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """Where a report goes, checked: a file (written atomically, unless it is a device or a
    pipe such as /dev/null) or standard output (`path` '-')."""

    path: str

    @property
    def name(self) -> str:
        return "standard output" if self.path == STDIO else self.path

    def write(self, text: Text) -> None:
        """Write `text` as UTF-8, whole; raises OutputError on any failure."""
        if self.path == STDIO:
            write_stdout(text if isinstance(text, str) else "".join(text))
            return
        try:
            write_file(Path(self.path), text)
        except OSError as error:
            raise OutputError(f"cannot write {self.path}: {_reason(error)}") from None


def check_output(path: str, inputs: Sequence[str] = (), role: str = "the report") -> Output:
    """Check, before any work, that `path` ('-': standard output) can be written and is none
    of `inputs` (paths, '-' for standard input). Raises OutputError saying why not."""
    if path == STDIO:
        _check_stdout(inputs)
        return Output(STDIO)
    for other in inputs:
        if same_file(path, other):
            alias = "" if path == other else f" ({path} is the same file)"
            raise OutputError(
                f"{role} would overwrite its input {display_name(other)}{alias}; "
                "choose another output"
            )
    reason = _unwritable(path)
    if reason:
        raise OutputError(f"cannot write {role} {path}: {reason}")
    return Output(path)


def same_file(path: str, other: str) -> bool:
    """Whether `path` and `other` (either '-': standard input) are the same existing file,
    also through a hard or symbolic link."""
    try:
        a = os.fstat(0) if path == STDIO else os.stat(path)
        b = os.fstat(0) if other == STDIO else os.stat(other)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(a.st_mode) and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def file_identity(path: str | Path) -> tuple:
    """What tells files apart: device and inode if `path` exists, else its absolute path with
    links and '..' resolved. Equal for two spellings of one file."""
    try:
        info = os.stat(path)
        return ("inode", info.st_dev, info.st_ino)
    except OSError:
        return ("path", os.path.realpath(path))


def write_file(path: Path, text: Text) -> None:
    """Write `text` (or its pieces) as UTF-8 to `path`: atomically to a regular file or a
    new one (creating its folder if need be), directly to a device or a pipe (/dev/null,
    /dev/stdout)."""
    try:
        special = not stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        special = False
    if special:
        with open(path, "w", encoding="utf-8", errors="replace", newline="") as file:
            _write_pieces(file, text)
        return
    write_atomic(path, text)


def write_atomic(path: Path, text: Text) -> None:
    """Write `text` (or its pieces) to `path` (and its folder if need be) so that `path`
    holds either its old content or all of `text`, never part: a temporary file beside
    it, then a rename (also when making a piece fails).
    A symbolic link is followed, a file's permissions are kept, and temporary files left
    by a killed writer of the same output are removed first."""
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:16]}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", errors="replace", newline="") as file:
            _write_pieces(file, text)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileNotFoundError):  # a new file: the umask's permissions
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _write_pieces(file: io.TextIOBase, text: Text) -> None:
    if isinstance(text, str):
        file.write(text)
        return
    for piece in text:
        file.write(piece)


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of `path` whose writer is gone (a killed run): those
    named `.NAME.PID-HEX.tmp` whose process no longer runs, and the `.NAME.HEX.tmp` of
    earlier versions. Returns what was removed."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(?:(\d+)-)?[0-9a-f]+\.tmp")
    removed = []
    try:
        candidates = list(path.parent.iterdir())
    except OSError:
        return removed
    for candidate in candidates:
        match = pattern.fullmatch(candidate.name)
        if match and not _running(match.group(1)):
            try:
                candidate.unlink()
                removed.append(candidate)
            except OSError:
                pass
    return removed


def write_stdout(text: str) -> None:
    """Write `text` to standard output as UTF-8, whatever the locale; a closed, full or
    broken standard output is an OutputError (and is then silenced, so that Python does
    not complain again when it exits)."""
    try:
        if sys.stdout is None:
            raise OSError(9, "it is closed")
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.buffer.flush()
    except (OSError, ValueError) as error:
        _silence_stdout()
        raise OutputError(f"cannot write to standard output: {_reason(error)}") from None


def _check_stdout(inputs: Iterable[str]) -> None:
    try:
        if sys.stdout is None:
            raise OSError(9, "it is closed")
        info = os.fstat(sys.stdout.fileno())
    except io.UnsupportedOperation:
        return  # a stream in memory (a test's): nothing to check
    except (OSError, ValueError):
        raise OutputError(
            "standard output is closed; give a file with -o/--output or redirect it"
        ) from None
    for other in inputs:
        other_info = os.fstat(0) if other == STDIO else _stat_or_none(other)
        if (
            other_info is not None
            and stat.S_ISREG(info.st_mode)
            and (info.st_dev, info.st_ino) == (other_info.st_dev, other_info.st_ino)
        ):
            raise OutputError(
                f"the report would overwrite its input {display_name(other)}, the same file "
                "as standard output; redirect it elsewhere"
            )


def _unwritable(path: str) -> str | None:
    """Why a file cannot be written at `path` (not standard output), or None if it can."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _uncreatable(Path(os.path.abspath(path)))
    except OSError as error:
        return _reason(error)
    if stat.S_ISDIR(info.st_mode):
        return "it is a folder"
    if not stat.S_ISREG(info.st_mode):  # a device or a pipe, written directly
        return None if os.access(path, os.W_OK) else "permission denied"
    if not (info.st_mode & 0o222 and os.access(path, os.W_OK)):
        return "the file is read-only"
    return _uncreatable(Path(os.path.realpath(path)))


def _uncreatable(path: Path) -> str | None:
    """Why a new file cannot be made at `path`, or None if it can: its folder, or the
    nearest existing folder above it (the missing ones are made on writing), must be a
    folder where a file can be created."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is not writable"
    if folder != path.parent:
        return None
    probe = folder / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:16]}.tmp"
    try:
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as error:
        return _reason(error)
    return None


def _stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _running(pid: str | None) -> bool:
    """Whether the process `pid` runs (None: a temporary of an earlier version: no)."""
    if pid is None:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or not a pid this system can tell apart
    return True


def _silence_stdout() -> None:
    """Point standard output at /dev/null: what is left in its buffer cannot be written."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)
    except OSError:
        pass


def _reason(error: BaseException) -> str:
    """An OSError's reason without its errno and file name: "No space left on device"."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror[0].lower() + error.strerror[1:]
    return str(error) or type(error).__name__


def _language(lang: str) -> str:
    return _LANGUAGE_NAMES.get(lang, lang)


# --- warnings on stderr ---------------------------------------------------------------------


def say(line: str) -> None:
    """Print `line` on stderr, made safe for a terminal first (a file name or a sentence in
    it may hold escape sequences: see align.safetext); nothing if stderr is closed."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(clean(line), file=sys.stderr, flush=True)


class _WarningLines(logging.Handler):
    """Shows what `align` logs as a warning (an unusable cache) as `align: warning: ...`."""

    def emit(self, record: logging.LogRecord) -> None:
        say(f"align: warning: {record.getMessage()}")


_WARNING_LINES = _WarningLines(logging.WARNING)


def show_warnings() -> None:
    """Print what `align` logs as a warning as one line on stderr (once per process)."""
    logger = logging.getLogger("align")
    if _WARNING_LINES not in logger.handlers:
        logger.addHandler(_WARNING_LINES)
