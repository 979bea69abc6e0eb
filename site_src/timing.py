"""Wall-clock laps, for the build summary and the bench."""

from __future__ import annotations

import time


class Laps:
    """``lap(name)`` adds the time since the previous lap to ``name``'s total."""

    def __init__(self):
        self.times: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.times[name] = self.times.get(name, 0.0) + now - self._t
        self._t = now
