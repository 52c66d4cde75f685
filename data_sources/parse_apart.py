"""A large workbook is parsed in a process of its own, with a bound on its memory.

What a file claims is checked first (data_sources/limits.py), but a file may lie, and the Rust
reader aborts the whole process when an allocation fails (exit 134: a 7 MB .xlsx took a server
from 53 MB to 9.8 GB and down). A workbook that unzips to more than `ReadLimits.apart_mb` is
therefore parsed by `python -m data_sources.parse_apart` (a fresh interpreter that imports only
the reader: no fork of a server full of threads, nothing of the app's own `__main__`), whose
address space is bounded by `ReadLimits.memory_mb`: a runaway ends that process, and the file is
refused by name — the server keeps serving, the last good data stays. The child reads the file
with the very code the server would (`xlsx_reader.calamine_tabs`) and hands the tabs back pickled
(its own output, never a file's).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import IO

from campaign import russian
from campaign.workbook import RawTab, SourceError
from data_sources.limits import MB, SETTINGS, TOO_LARGE

ROOT = Path(__file__).resolve().parents[1]


def tabs_apart(source: str | Path | IO[bytes], name: str, memory_mb: int) -> list[RawTab]:
    """The tabs of an .xlsx parsed in a child process bounded to `memory_mb` of address space; a
    SourceError (`too_large`) naming the file when it needed more (or the reader died)."""
    path = str(source) if isinstance(source, (str, Path)) else "-"
    content = _bytes_of(source) if path == "-" else None
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.run([sys.executable, "-m", "data_sources.parse_apart", str(memory_mb * MB), path],
                           input=content, capture_output=True, cwd=ROOT, env=environment, check=False)
    if child.returncode == 0 and child.stdout:
        status, value = pickle.loads(child.stdout)  # noqa: S301 - the child's own answer, never a file's
    else:  # it died without a word: an abort (the Rust allocator), a kill
        status, value = "died", child.stderr[-300:].decode("utf-8", "replace")
    if status == "ok":
        return value
    if status == "error":  # the reader's own failure: a damaged file, as in the server's process
        raise ValueError(value)
    raise SourceError(TOO_LARGE, f"Файл {name} не прочитан: на его чтение не хватило "
                                 f"{russian.number(memory_mb)} МБ памяти (настройка {SETTINGS['memory_mb']}).",
                      detail=f"child {status}, exit {child.returncode}: {value or ''}")


def _bytes_of(stream: IO[bytes]) -> bytes:
    position = stream.tell()
    try:
        return stream.read()
    finally:
        stream.seek(position)


def main(argv: list[str]) -> int:
    """In the child: bound the address space, read the file (a path, or «-»: standard input),
    write the pickled (status, tabs or what went wrong) to standard output."""
    import io
    import resource

    memory_bytes, path = int(argv[0]), argv[1]
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        from data_sources.xlsx_reader import calamine_tabs

        source = io.BytesIO(sys.stdin.buffer.read()) if path == "-" else path
        answer = ("ok", calamine_tabs(source))
    except MemoryError:
        answer = ("memory", None)
    except Exception as error:  # noqa: BLE001 - said to the parent, which says it as the server would
        answer = ("error", repr(error))
    try:
        sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except MemoryError:
        sys.stdout.buffer.write(pickle.dumps(("memory", None)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
