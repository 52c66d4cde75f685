"""What a large read allocates is given back to the system once the read is done.

A read of 100 000 rows makes and drops some hundred megabytes of Arrow buffers and Python objects.
Arrow's default allocator in the wheels (mimalloc) keeps what it freed for itself; jemalloc gives
it back after a short decay, and glibc's heap (Python's objects) gives it back when trimmed. So the
server reads with jemalloc where the build has it, and trims both after each read: the memory
a server holds between reads is what it keeps (the workbook, the report), not the peak of its
largest read, and the next read starts from there (README «Speed → Reading an .xlsx»).
"""

from __future__ import annotations

import ctypes
import threading

_configured = threading.Lock()
_done = False


def use_returning_allocator() -> None:
    """Arrow allocates from jemalloc (else the system's allocator) from now on, in this process."""
    global _done
    with _configured:
        if _done:
            return
        import pyarrow as pa

        try:
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        except NotImplementedError:  # a build without jemalloc
            pa.set_memory_pool(pa.system_memory_pool())
        _done = True


def give_back() -> None:
    """Returns the memory freed by Arrow and by Python's heap to the system."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the allocator keeps what it keeps
        pass
