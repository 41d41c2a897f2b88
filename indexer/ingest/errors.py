from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be read as a report; ``source`` names it and ``reason`` says why."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self):  # rebuilt from both arguments when it comes back from a parser process
        return IngestError, (self.source, self.reason)
