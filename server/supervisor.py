"""granian's process manager, changed so that a reload (SIGHUP) never refuses or drops a connection.

What granian 2.x does on Linux (granian/server/common.py, mp.py), and what goes wrong under load:
- every HTTP worker binds its own SO_REUSEPORT socket (the master binds none): a stopping worker
  resets the connections queued on its socket, and between the last old worker stopping and the
  first new one listening, connections are refused;
- a reload spawns a new worker, sleeps `respawn_interval` whatever its state, then terminates the
  old one and joins it with no timeout;
- workers are forked and keep the master's Python SIGTERM handler until they have loaded the app:
  a SIGTERM in that window only sets a flag in the worker's copy of the server, so the worker lives
  on (an extra worker) and the master waits on it forever (SIGTERM then seems to hang).

Here:
- the master binds the one listening socket and workers inherit it (fork): connections wait in its
  backlog while workers change, whichever worker accepts them;
- a forked worker dies on SIGTERM/SIGINT and ignores SIGHUP from its first instruction: the master
  blocks those signals around each fork, the child resets the handlers, then unblocks them;
- a worker is replaced only once its successor has loaded the app (it says so over a pipe); a
  successor that fails to start is stopped and the old worker keeps serving;
- the old worker is told (SIGUSR1) to stop accepting: its copies of the listening socket are
  swapped (dup2) for a socket nobody can reach, so new connections go to the other workers only,
  and it answers with `Connection: close` so keep-alive clients move between requests; once it
  holds no client connection (at least `close_grace`, at most `drain` seconds) it gets SIGTERM
  (granian's graceful stop: in-flight requests finish), and SIGKILL past `drain` seconds more.
  Retiring workers are reaped in the background;
- SIGHUPs that arrive during a reload are coalesced into one more reload after it;
- SIGTERM/SIGINT interrupt a reload and stop every worker (current, starting, retiring) within
  `drain` seconds, then kill what is left.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from granian._internal import load_target
from granian.log import logger
from granian.net import SocketSpec
from granian.server.mp import MPServer, WorkerProcess

READY_TIMEOUT = 120.0  # seconds a new worker may take to load the app before the reload gives it up

RETIRING = threading.Event()  # in a worker: set by SIGUSR1, the supervisor is replacing it
_LISTENING: tuple[int, int] | None = (
    None  # in a worker: (st_dev, st_ino) of the shared listening socket
)


_STOPPING = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def block_stopping_signals() -> None:
    """In the master, just before it forks a worker: hold SIGTERM/SIGINT/SIGHUP back, so that none
    can reach the child before it has dropped the master's handlers (Python runs a handler when the
    child's interpreter next looks, which on a busy machine can be long after the signal)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)


def unblock_stopping_signals() -> None:
    """In the master, once the worker is forked: signals held back meanwhile are delivered now."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def reset_inherited_signals() -> None:
    """In a forked worker, at once: die on SIGTERM/SIGINT (not the master's handler), ignore SIGHUP,
    then let through what was held back (a SIGTERM sent meanwhile ends it now). granian installs its
    own graceful SIGTERM/SIGINT handlers once the app is loaded."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)


def stop_accepting(listening: tuple[int, int]) -> int:
    """Swap every descriptor of this process that refers to the shared listening socket for a
    listening socket nobody can reach (an unnamed, auto-bound Unix socket, non-blocking like the
    original). The HTTP runtime keeps polling the descriptor number: woken by a connection on the
    shared socket, its accept finds nothing and it waits again, so the connection stays queued for
    the other workers. Connections already accepted are untouched. Returns how many were swapped."""
    unreachable = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unreachable.bind("")  # Linux: an auto-bound name in the abstract namespace, known to no one
    unreachable.listen(1)
    unreachable.setblocking(False)
    swapped = 0
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            info = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISSOCK(info.st_mode) and (info.st_dev, info.st_ino) == listening:
            os.dup2(unreachable.fileno(), fd, inheritable=False)
            swapped += 1
    unreachable.close()
    return swapped


def _retire_this_worker(*_: object) -> None:
    if RETIRING.is_set():
        return
    RETIRING.set()
    if _LISTENING is None:
        return
    try:
        stop_accepting(_LISTENING)
    except OSError as exc:  # never let the handler end the worker: it still has requests to finish
        logger.warning(f"worker (PID {os.getpid()}) could not stop accepting: {exc}")


def close_when_retiring(app: Callable[..., Any]) -> Callable[..., Any]:
    """Once this worker is retiring, every answer says `Connection: close`: keep-alive clients
    reconnect (to another worker) between requests instead of meeting a closed connection."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if RETIRING.is_set():
                headers = [*headers, ("Connection", "close")]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


_TCP_TABLES = ("/proc/net/tcp", "/proc/net/tcp6")
_LISTEN = "0A"  # the kernel's TCP_LISTEN state, as /proc/net/tcp writes it


def client_connections(pid: int, port: int) -> int:
    """How many TCP connections to `port` process `pid` holds open (any state but listening):
    the sockets among its descriptors that the kernel's TCP tables list on that local port. 0 if
    the process is gone."""
    try:
        held = {os.readlink(f"/proc/{pid}/fd/{name}") for name in os.listdir(f"/proc/{pid}/fd")}
    except OSError:
        return 0
    inodes = {link[len("socket:[") : -1] for link in held if link.startswith("socket:[")}
    count = 0
    for table in _TCP_TABLES:
        try:
            lines = open(table, encoding="ascii").read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != _LISTEN and int(local.rsplit(":", 1)[1], 16) == port and inode in inodes:
                count += 1
    return count


class Supervisor(MPServer):
    def __init__(
        self, *args: Any, drain: float = 15.0, close_grace: float = 1.0, **kwargs: Any
    ) -> None:
        super().__init__(*args, workers_kill_timeout=max(1, int(drain + 0.999)), **kwargs)
        self.drain, self.close_grace = drain, close_grace
        self._ready_rx, self._ready_tx = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._ready: set[int] = set()
        self._retiring: list[tuple[WorkerProcess, threading.Thread]] = []

    # -- one socket, bound here ------------------------------------------------------------------
    def _init_shared_socket(self) -> None:
        self._ssp = None
        try:
            self._shd = SocketSpec(self.bind_addr, self.bind_port, self.backlog).build()
        except RuntimeError as exc:  # granian's bind error: "Address already in use (os error 98)"
            raise SystemExit(f"cannot listen on {self._bind_addr_fmt}: {exc}") from None
        self._sfd = self._shd.get_fd()
        self._sso = socket.socket(fileno=self._sfd)
        self._sso.set_inheritable(True)
        # granian binds with SO_REUSEPORT; with one socket for every worker it serves no purpose and
        # would let a second server bind the same port and take half the connections: refuse that.
        self._sso.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 0)
        # port 0: the system chose one; "Listening at" (logged next) names it
        self.bind_port = self._sso.getsockname()[1]

    def _drop_shared_socket(self) -> None:
        """Kept open until the workers are gone (`_stop_workers` closes it last)."""

    # -- readiness -------------------------------------------------------------------------------
    def loader(self, target: str) -> Any:
        """Runs in the new worker: load the app, then tell the master it is ready."""
        global _LISTENING
        info = os.fstat(self._sfd)
        _LISTENING = (info.st_dev, info.st_ino)
        signal.signal(signal.SIGUSR1, _retire_this_worker)
        app = load_target(target, factory=True)
        self._ready_tx.send(os.getpid())
        return close_when_retiring(app)

    def _wait_ready(self, worker: WorkerProcess) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT
        pid = worker.inner.pid
        while time.monotonic() < deadline and not self.interrupt_signal:
            if pid in self._ready:
                return True
            if not worker.is_alive():
                return False
            if self._ready_rx.poll(0.05):
                self._ready.add(self._ready_rx.recv())
        return pid in self._ready

    # -- replacing workers -----------------------------------------------------------------------
    def _spawn_workers(self, spawn_target: Any, target_loader: Any) -> None:
        super()._spawn_workers(spawn_target, target_loader)
        for worker in self.wrks:  # at start-up, "Listening" means answering
            self._wait_ready(worker)
        logger.info(f"{len(self.wrks)} workers ready")

    def _replace(self, idx: int, spawn_target: Any, target_loader: Any) -> bool:
        new = self._spawn_worker(idx=idx, target=spawn_target, callback_loader=target_loader)
        new.interrupt_by_parent = True  # on probation: its death before it is ready is not a crash
        new.start()
        if not self._wait_ready(new):
            new.kill()
            new.join(5)
            if not self.interrupt_signal:
                logger.error(
                    f"The new worker-{idx + 1} did not start; the current one keeps serving"
                )
            return False
        new.interrupt_by_parent = (
            False  # from now on its death is a crash, respawned by the main loop
        )
        old = self.wrks[idx]
        self.wrks[idx] = new
        self._retire(old)
        logger.info(f"worker-{idx + 1} replaced (PID {old.inner.pid} -> {new.inner.pid})")
        return True

    def _retire(self, old: WorkerProcess) -> None:
        old.interrupt_by_parent = True

        def run() -> None:
            if not old.is_alive():
                return
            try:
                os.kill(old.inner.pid, signal.SIGUSR1)  # stop accepting, answer Connection: close
            except ProcessLookupError:
                return
            # Its keep-alive clients leave after their next answer (Connection: close); one that
            # is slow to send it (a busy machine can hold a client thread back for seconds) must
            # not find the connection closed under it, so the graceful stop waits until none is
            # left, for `drain` seconds at most (a client that stays idle that long is closed).
            deadline = time.monotonic() + self.drain
            old.join(self.close_grace)
            while (
                old.is_alive()
                and time.monotonic() < deadline
                and client_connections(old.inner.pid, self.bind_port)
            ):
                old.join(0.05)
            old.terminate()  # granian's graceful stop: in-flight requests finish
            old.join(self.drain)
            if old.is_alive():
                logger.warning(
                    f"Killing retired worker (PID {old.inner.pid}) after {self.drain:g} s"
                )
                old.kill()
                old.join(5)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self._retiring = [(w, t) for w, t in self._retiring if t.is_alive()] + [(old, thread)]

    def _respawn_workers(
        self, workers: Iterable[int], spawn_target: Any, target_loader: Any, delay: float = 0
    ) -> None:
        """A crashed (or expired) worker, replaced the same careful way."""
        workers = list(workers)
        for idx in workers:
            self.respawned_wrks[idx] = time.monotonic()
            self._replace(idx, spawn_target, target_loader)
        self._metrics.incr_spawn(len(workers))

    def _reload(self, spawn_target: Any, target_loader: Any) -> None:
        self.reload_signal = False  # a SIGHUP from now on asks for one more reload, after this one
        self.main_loop_interrupt.clear()
        logger.info("HUP signal received, replacing the workers one at a time")
        self._env_loader(self.env_files)
        self._call_hooks(self.hooks_reload)
        for idx in range(self.workers):
            if self.interrupt_signal:
                break
            self._replace(idx, spawn_target, target_loader)
        if self.reload_signal or self.interrupt_signal:
            self.main_loop_interrupt.set()

    # -- stopping --------------------------------------------------------------------------------
    def _stop_workers(self) -> None:
        everyone = [*self.wrks, *(w for w, _ in self._retiring)]
        for worker in everyone:
            if worker.is_alive():
                worker.terminate()
        deadline = time.monotonic() + self.drain
        for worker in everyone:
            worker.join(max(0.001, deadline - time.monotonic()))
            if worker.is_alive():
                logger.warning(f"Killing worker (PID {worker.inner.pid}) after {self.drain:g} s")
                worker.kill()
                worker.join(5)
        self.wrks.clear()
        self._retiring.clear()
        if self._sso is not None:
            self._sso.close()
            self._sso = None

    def serve(
        self,
        spawn_target: Callable[..., None] | None = None,
        target_loader: Callable[..., Callable[..., Any]] | None = None,
        wrap_loader: bool = True,
    ) -> None:
        # Workers inherit the socket and the pipe: fork (3.14 defaults to forkserver, and granian
        # would then use spawn). Every child forked from here resets the master's handlers at once.
        multiprocessing.set_start_method("fork", force=True)
        os.register_at_fork(
            before=block_stopping_signals,
            after_in_parent=unblock_stopping_signals,
            after_in_child=reset_inherited_signals,
        )
        super().serve(spawn_target, target_loader or self.loader, wrap_loader)
