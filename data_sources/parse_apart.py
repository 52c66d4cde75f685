"""A large workbook is parsed in a process of its own, with a bound on its memory.

What a file claims is checked first (data_sources/limits.py), but a file may lie, and the Rust
reader aborts the whole process when an allocation fails (exit 134: a 7 MB .xlsx took a server
from 53 MB to 9.8 GB and down). A workbook that unzips to more than `ReadLimits.apart_mb` is
therefore parsed by a worker: `python -m data_sources.parse_apart` (a fresh interpreter that
imports only the reader — no fork of a server full of threads, nothing of the app's own
`__main__`, which multiprocessing's `spawn` would run again), whose address space is bounded by
`ReadLimits.memory_mb`: a runaway ends that process, and the file is refused by name — the server
keeps serving, the last good data stays; the next large workbook gets a new worker. The worker
reads the file with the very code the server would (`xlsx_arrow.arrow_tabs`) and hands the tabs
back pickled over its pipe (its own output, never a file's), framed by the standard library's
`multiprocessing.connection`: the Arrow buffers out of band (pickle protocol 5), each received
once into the bytes the arrays then use — no second copy of the cells in the server.

The worker stays for the next read — its interpreter and imports cost about half a second of
CPU, a third of a 100 000-row read — one per memory bound, one workbook at a time; it gives the
memory of each parse back to the system (Arrow's system allocator, `malloc_trim`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO

from campaign import russian
from campaign.workbook import RawTab, SourceError
from data_sources.limits import MB, SETTINGS, TOO_LARGE

ROOT = Path(__file__).resolve().parents[1]


class _Worker:
    """One worker process and its pipe; `parse` one workbook at a time."""

    def __init__(self, memory_mb: int) -> None:
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.process = subprocess.Popen([sys.executable, "-m", "data_sources.parse_apart", str(memory_mb * MB)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        cwd=ROOT, env=environment)
        self.ask = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.answers = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()
        self.lock = threading.Lock()

    def parse(self, path: str | None, content: bytes | None) -> tuple[str, object]:
        with self.lock:
            if self.process.poll() is not None:  # ended while another read waited for it: not this file's doing
                return "gone", None
            try:
                self.ask.send((path, content))
                return _received(self.answers)
            except (EOFError, OSError):  # it died without a word: an abort (the Rust allocator), a kill
                return "died", f"exit {self.process.wait()}"

    def close(self) -> None:
        for connection in (self.ask, self.answers):
            connection.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_workers: dict[int, _Worker] = {}  # memory bound (MB) -> its worker
_workers_lock = threading.Lock()


def tabs_apart(source: str | Path | IO[bytes], name: str, memory_mb: int) -> list[RawTab]:
    """The tabs of an .xlsx parsed by a worker process bounded to `memory_mb` of address space; a
    SourceError (`too_large`) naming the file when it needed more (or the worker died)."""
    path = str(source) if isinstance(source, (str, Path)) else None
    content = _bytes_of(source) if path is None else None
    worker = _worker(memory_mb)
    status, value = worker.parse(path, content)
    if status == "gone":
        _forget(memory_mb, worker)
        worker = _worker(memory_mb)
        status, value = worker.parse(path, content)
    if status == "ok":
        return value
    if status == "error":  # the reader's own failure: a damaged file, as in the server's process
        raise ValueError(value)
    _forget(memory_mb, worker)  # dead, or its heap is not to be trusted after a MemoryError
    raise SourceError(TOO_LARGE, f"Файл {name} не прочитан: на его чтение не хватило "
                                 f"{russian.number(memory_mb)} МБ памяти (настройка {SETTINGS['memory_mb']}).",
                      detail=f"child {status}: {value or ''}")


def _worker(memory_mb: int) -> _Worker:
    with _workers_lock:
        worker = _workers.get(memory_mb)
        if worker is None or worker.process.poll() is not None:
            worker = _workers[memory_mb] = _Worker(memory_mb)
        return worker


def _forget(memory_mb: int, worker: _Worker) -> None:
    with _workers_lock:
        if _workers.get(memory_mb) is worker:
            del _workers[memory_mb]
    worker.close()


def _bytes_of(stream: IO[bytes]) -> bytes:
    position = stream.tell()
    try:
        return stream.read()
    finally:
        stream.seek(position)


# ------------------------------------------------------------------ in the worker


def main(argv: list[str]) -> int:
    """In the worker: bound the address space, import the reader once, then parse each workbook
    asked for on standard input and answer on standard output, until the server closes the pipe."""
    import resource

    memory_bytes = int(argv[0])
    requests = Connection(os.dup(sys.stdin.fileno()), writable=False)
    answers = Connection(os.dup(sys.stdout.fileno()), readable=False)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # whatever a library prints stays off the answers' pipe
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        import pyarrow

        pyarrow.set_memory_pool(pyarrow.system_memory_pool())
        from data_sources.xlsx_arrow import arrow_tabs  # noqa: F401 - imported once for every parse
    except MemoryError:  # not even the reader fits in the bound
        _answer(answers, ("memory", "the reader does not fit"))
        return 0
    while True:
        try:
            path, content = requests.recv()
        except EOFError:  # the server is done with this worker
            return 0
        _answer(answers, _parse(path, content))
        content = None
        _give_back_memory()


def _answer(answers: Connection, answer: tuple[str, object]) -> None:
    try:
        buffers: list[pickle.PickleBuffer] = []
        data = pickle.dumps(answer, protocol=5, buffer_callback=buffers.append)
        answers.send(len(buffers))
        answers.send_bytes(data)
        for buffer in buffers:
            answers.send_bytes(buffer.raw())
    except MemoryError:
        answers.send(0)
        answers.send_bytes(pickle.dumps(("memory", None)))


def _received(answers: Connection) -> tuple[str, object]:
    """An answer as `_answer` sends it: the pickle, then its buffers, each once in memory."""
    count = answers.recv()
    data = answers.recv_bytes()
    return pickle.loads(data, buffers=[answers.recv_bytes() for _ in range(count)])


def _parse(path: str | None, content: bytes | None) -> tuple[str, object]:
    """("ok", tabs), ("memory", None) or ("error", what went wrong)."""
    import io

    from data_sources.xlsx_arrow import arrow_tabs

    try:
        return "ok", arrow_tabs(path if path is not None else io.BytesIO(content))
    except MemoryError:
        return "memory", None
    except Exception as error:  # noqa: BLE001 - said to the parent, which says it as the server would
        return "error", repr(error)


def _give_back_memory() -> None:
    import gc

    from data_sources.memory import give_back

    gc.collect()
    give_back()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
