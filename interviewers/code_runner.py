"""Run a candidate's code against a question's tests in a real sandbox: bubblewrap plus resource limits.

Isolation is bubblewrap's (Debian `bubblewrap`), not ours: the code runs in its own PID, network,
IPC and UTS namespaces, sees a read-only /usr and Python installation and nothing else of the
machine (no /etc, no home, no database file), has a private /tmp, and dies with its parent. When
the server runs as root it drops to `nobody` inside the sandbox. Limits are the kernel's: CPU
seconds, address space, processes (a fork bomb meets RLIMIT_NPROC), file size (printing a gigabyte
stops at the cap), open files, plus a wall-clock timeout after which the whole sandbox is killed.
Tests run one by one in code_harness.py, each with its own time limit, so one failing or hanging
test does not hide the others.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from question_bank.schema import CodeTest

HARNESS = Path(__file__).with_name("code_harness.py")
NOBODY = 65534


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 5
    wall_seconds: float = 10.0
    test_seconds: float = 2.0
    memory_bytes: int = 2 * 1024**3  # address space: NumPy reserves far more than it touches
    processes: int = 32
    output_bytes: int = 1024**2
    open_files: int = 64


@dataclass
class TestOutcome:
    name: str
    passed: bool
    message: str
    hidden: bool


@dataclass
class RunResult:
    """What a run did: one outcome per test, or an error that stopped the tests (syntax, timeout, crash)."""

    outcomes: list[TestOutcome] = field(default_factory=list)
    error: str | None = None
    output: str = ""  # the first part of what the code printed
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    def to_json(self) -> dict[str, Any]:
        """§3/§5's form: hidden tests by number only, never their code or message."""
        failures = []
        hidden_index = 0
        for outcome in self.outcomes:
            if outcome.hidden:
                hidden_index += 1
            if outcome.passed:
                continue
            if outcome.hidden:
                failures.append({"name": f"hidden test {hidden_index}", "message": "hidden test failed"})
            else:
                failures.append({"name": outcome.name, "message": outcome.message})
        data: dict[str, Any] = {"passed": self.passed, "total": self.total, "failures": failures}
        if self.error:
            data["error"] = self.error
        return data


class SandboxUnavailable(RuntimeError):
    """No working isolation tool: the server refuses to run code rather than run it unconfined."""


def _python_roots() -> list[Path]:
    """What the interpreter needs: the virtual environment and the installation it was made from."""
    roots = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(sys.executable).resolve().parent.parent}
    return sorted(r for r in roots if not str(r).startswith("/usr"))


def _bind_args(path: Path) -> list[str]:
    """Parents made traversable (bubblewrap creates them 0700, which `nobody` cannot enter), then the bind."""
    args: list[str] = []
    for parent in reversed(path.parents[:-1]):
        if str(parent) != "/tmp":  # already there (the tmpfs), and must stay writable by all  # noqa: S108
            args += ["--perms", "0755", "--dir", str(parent)]
    return [*args, "--ro-bind", str(path), str(path)]


def _bwrap_command(box: Path, result_fd: int) -> list[str]:
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("code cannot run here: bubblewrap (bwrap) is not installed")
    command = [
        bwrap,
        "--unshare-user-try" if os.geteuid() != 0 else "--unshare-cgroup-try",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--die-with-parent",
        "--new-session",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for name in ("bin", "lib", "lib64", "sbin"):
        link = Path("/") / name
        if link.is_symlink():
            command += ["--symlink", str(link.readlink()), str(link)]
        elif link.is_dir():
            command += ["--ro-bind", str(link), str(link)]
    # Inside the sandbox /tmp is a fresh, private tmpfs, not the machine's. It is mounted before the Python
    # binds: an interpreter or virtual environment living under /tmp is bound on top of it, not hidden by it.
    scratch = "/tmp"  # noqa: S108
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", scratch]
    for root in _python_roots():
        command += _bind_args(root)
    command += ["--ro-bind", str(box), "/box", "--chdir", scratch]
    command += ["--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", scratch]
    # One BLAS thread: threads count against the process limit, and a test is too small to gain from more.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        command += ["--setenv", name, "1"]
    command.append("--")
    if os.geteuid() == 0:
        # As root the process limit would not bind (root is exempt): run the code as nobody instead.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("code cannot run here: setpriv (util-linux) is not installed")
        command += [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    return [*command, sys.executable, "-I", "/box/harness.py", "/box/spec.json", str(result_fd)]


def _limit(limits: Limits) -> None:
    """In the child, before bwrap starts: the kernel enforces these on everything the code starts."""
    # SIGXCPU at the soft limit says why it stopped; the hard limit a second later is SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.output_bytes, limits.output_bytes))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (_own_tasks() + limits.processes,) * 2)
    else:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


def _own_tasks() -> int:
    """Processes and threads already running as this user: RLIMIT_NPROC counts them all."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    count += sum(1 for _ in (entry / "task").iterdir())
            except OSError:
                continue
    return count


def run_code(code: str, tests: list[CodeTest], limits: Limits | None = None) -> RunResult:
    """Run `code`, then each test, in a fresh sandbox; never raises for anything the code does."""
    limits = limits or Limits()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mockloop-run-") as folder:
        box = Path(folder)
        box.chmod(0o755)
        spec = {"code": code, "tests": [t.model_dump() for t in tests], "test_seconds": limits.test_seconds}
        (box / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
        shutil.copyfile(HARNESS, box / "harness.py")
        output_path = box / "output.txt"
        read_end, write_end = os.pipe()
        try:
            command = _bwrap_command(box, write_end)
            with output_path.open("wb") as output:
                process = subprocess.Popen(  # noqa: S603 - fixed arguments built above, no shell
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    pass_fds=(write_end,),
                    preexec_fn=lambda: _limit(limits),  # rlimits must be set in the child, before bwrap
                    start_new_session=True,
                )
        finally:
            os.close(write_end)
        raw, timed_out = _read_result(read_end, process, limits.wall_seconds)
        printed = output_path.read_bytes()[:4000].decode("utf-8", "replace")
    returncode = None if timed_out else process.returncode
    result = _parse(raw, returncode, tests, limits)
    result.output = printed
    result.seconds = time.perf_counter() - started
    return result


def _read_result(read_end: int, process: subprocess.Popen[bytes], wall_seconds: float) -> tuple[bytes, bool]:
    """The harness's JSON, and whether the wall-clock limit had to kill the sandbox."""
    chunks: list[bytes] = []
    timed_out = False

    def drain() -> None:
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read(65536):
                chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process.wait(timeout=wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGKILL)  # bwrap's namespace goes with it, children included
        process.wait()
    reader.join(timeout=2.0)
    return b"".join(chunks), timed_out


def _parse(raw: bytes, returncode: int | None, tests: list[CodeTest], limits: Limits) -> RunResult:
    hidden = {t.name: t.hidden for t in tests}
    try:
        data = json.loads(raw) if raw else None
    except ValueError:
        data = None
    if isinstance(data, dict):
        outcomes = [
            TestOutcome(str(o["name"]), bool(o["passed"]), str(o["message"]), hidden.get(str(o["name"]), True))
            for o in data.get("tests", [])
        ]
        error = data.get("error")
        if error:
            outcomes = [TestOutcome(t.name, False, str(error), t.hidden) for t in tests]
        return RunResult(outcomes, str(error) if error else None)
    error = _why_it_died(returncode, limits)
    return RunResult([TestOutcome(t.name, False, error, t.hidden) for t in tests], error)


def _why_it_died(returncode: int | None, limits: Limits) -> str:
    if returncode is None:
        return f"stopped: it ran longer than {limits.wall_seconds:.0f} s"
    # bwrap passes on a child killed by signal N as exit status 128 + N.
    signalled = -returncode if returncode < 0 else returncode - 128 if returncode > 128 else 0
    reasons: dict[int, str] = {
        signal.SIGKILL: f"stopped: it used more than {limits.cpu_seconds} s of CPU or too much memory",
        signal.SIGXCPU: f"stopped: it used more than {limits.cpu_seconds} s of CPU",
        signal.SIGXFSZ: f"stopped: it printed more than {limits.output_bytes // 1024} KB",
        signal.SIGSEGV: "crashed (segmentation fault), often from very deep recursion",
    }
    if signalled in reasons:
        return reasons[signalled]
    if returncode == 1:
        return "the sandbox could not start the code"
    return f"exited before the tests finished (exit status {returncode})"


_checked: str | None = None
_check_lock = threading.Lock()


def unavailable_reason() -> str | None:
    """None when code can run here; else a one-line reason. Checked once per process with a trivial run."""
    global _checked
    with _check_lock:
        if _checked is None:
            try:
                probe = run_code("x = 1", [CodeTest(name="probe", code="assert x == 1", hidden=False)])
                _checked = "" if probe.passed == 1 else f"code cannot run here: the sandbox failed ({probe.error})"
            except SandboxUnavailable as exc:
                _checked = str(exc)
        return _checked or None
