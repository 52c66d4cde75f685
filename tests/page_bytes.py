"""What a page sends to the browser: the bytes of each AppTest run's messages, as Streamlit
serializes them (the page-weight test and benchmarks/federal.py count alike)."""

from __future__ import annotations

from typing import Callable


def count_sent(patch: Callable[[object, str, object], None] = setattr) -> list[int]:
    """From now on, every AppTest run appends the bytes of its messages to the list returned.
    `patch`: how the runner is patched (a test's `monkeypatch.setattr`, undone after it)."""
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    sizes: list[int] = []
    real_run = LocalScriptRunner.run

    def counting_run(self, *args, **kwargs):
        tree = real_run(self, *args, **kwargs)
        sizes.append(sum(message.ByteSize() for message in self.forward_msgs()))
        return tree

    patch(LocalScriptRunner, "run", counting_run)
    return sizes
