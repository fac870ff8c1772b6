"""The readiness watcher: /readyz probed in a thread through every step, as a balancer would."""

import collections
import http.client
import http.cookies
import itertools
import math
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass

from bench.soak.base import PORT_A, PROBE_TIMEOUT, check


@dataclass
class Probe:
    sent_at: float
    seconds: float
    status: int | str  # the HTTP status, "timeout", or "error (<exception>)"
    body: str = ""


class ReadyzWatcher:
    """Probes /readyz every `interval` seconds in a thread, as a load balancer would, until the
    `with` block ends. A probe that times out or fails in any other way is a "not ready" probe;
    nothing a probe meets stops the probing."""

    def __init__(self, url: str, timeout: float = PROBE_TIMEOUT, interval: float = 0.25):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = parts.hostname or "127.0.0.1", parts.port, parts.path
        self.timeout, self.interval = timeout, interval
        self.probes: list[Probe] = []
        self.survived = False  # the thread was still probing when asked to stop
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="readyz-watcher")

    def __enter__(self) -> "ReadyzWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.survived = self._thread.is_alive()
        self._stop.set()
        self._thread.join(self.timeout + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            sent_at = time.monotonic()
            try:
                probe = self._probe(sent_at)
            except Exception as error:  # whatever it is, this probe failed; the next one runs
                probe = Probe(sent_at, time.monotonic() - sent_at, f"error ({error!r})")
            self.probes.append(probe)
            self._stop.wait(self.interval)

    def _probe(self, sent_at: float) -> Probe:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request("GET", self.path)
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            return Probe(sent_at, time.monotonic() - sent_at, response.status, body)
        except TimeoutError:
            return Probe(sent_at, time.monotonic() - sent_at, "timeout")
        except (OSError, http.client.HTTPException) as error:
            return Probe(sent_at, time.monotonic() - sent_at, f"error ({type(error).__name__})")
        finally:
            connection.close()

    def between(self, start: float, end: float) -> list[Probe]:
        return [probe for probe in self.probes if start <= probe.sent_at < end]

    def longest_gap(self) -> float:
        """The longest time between two probes being sent: a dead watcher shows here."""
        times = [probe.sent_at for probe in self.probes]
        return max((later - earlier for earlier, later in itertools.pairwise(times)), default=0.0)

    def health(self) -> tuple[bool, str]:
        timed_out = sum(probe.status == "timeout" for probe in self.probes)
        ok = self.survived and bool(self.probes)
        ok = ok and self.longest_gap() <= self.timeout + self.interval + 2
        return ok, (
            f"{len(self.probes)} probes, longest gap {self.longest_gap():.1f} s, "
            f"{timed_out} timed out, {'alive' if self.survived else 'DEAD'} at the end"
        )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else float("nan")


def probe_timing(probes: list[Probe]) -> str:
    seconds = [probe.seconds for probe in probes]
    timed_out = sum(probe.status == "timeout" for probe in probes)
    return (
        f"p50 {percentile(seconds, 0.5) * 1000:.0f} ms, p99 {percentile(seconds, 0.99) * 1000:.0f} "
        f"ms, max {max(seconds, default=0) * 1000:.0f} ms over {len(probes)} probes; "
        f"{timed_out} timed out ({PROBE_TIMEOUT:.0f} s)"
    )


watchers: list[tuple[str, ReadyzWatcher]] = []


def watch(label: str, port: int = PORT_A) -> ReadyzWatcher:
    """A watcher on /readyz whose health is checked at the end of the soak."""
    watcher = ReadyzWatcher(f"http://127.0.0.1:{port}/readyz")
    watchers.append((label, watcher))
    return watcher


def readiness_watcher_survives_timeouts() -> None:
    """The watcher against a server that accepts connections and never answers, as a gunicorn
    whose every thread is busy: every probe times out, and probing goes on."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as silent:
        watcher = ReadyzWatcher(
            f"http://127.0.0.1:{silent.getsockname()[1]}/readyz", timeout=0.3, interval=0.05
        )
        with watcher:
            time.sleep(1.6)
    statuses = collections.Counter(str(probe.status) for probe in watcher.probes)
    check(
        "the readiness watcher outlives probes that time out",
        watcher.survived and len(watcher.probes) >= 3 and set(statuses) == {"timeout"},
        f"{len(watcher.probes)} probes against a silent server: {dict(statuses)}, "
        f"{'still probing' if watcher.survived else 'the watcher DIED'}",
    )
