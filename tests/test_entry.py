"""The console script's exit: what a normal interpreter exit does that matters, without
taking every module apart (laborcli.cli.entry.leave)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

_LEAVE = "from laborcli.cli.entry import leave\n"
# Output buffered as a command's is, even where the environment asks for it unbuffered.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def _child(code: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", _LEAVE + code], text=True, timeout=60, env=_ENV, **kw
    )


def test_leaving_runs_atexit_then_flushes() -> None:
    r = _child(
        "import atexit\n"
        "atexit.register(lambda: print('atexit'))\n"
        "print('output', end=' ')\n"  # still in the buffer: stdout is a pipe
        "leave(3)\n",
        capture_output=True,
    )
    assert r.returncode == 3
    assert r.stdout.split() == ["output", "atexit"]
    assert r.stderr == ""


def test_a_thread_still_running_gets_the_interpreters_own_exit() -> None:
    """It is stopped and waited for as usual (here: an executor's thread, which only the
    interpreter's exit tells to stop, and a thread of the command's own)."""
    r = _child(
        "import atexit, threading, time\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "atexit.register(lambda: print('atexit'))\n"
        "pool = ThreadPoolExecutor(1)\n"
        "pool.submit(time.sleep, 0.2)\n"
        "t = threading.Thread(target=lambda: (time.sleep(0.3), print('thread')))\n"
        "t.start()\n"
        "print('output', end=' ')\n"
        "leave(3)\n",
        capture_output=True,
    )
    assert r.returncode == 3
    assert r.stdout.split() == ["output", "thread", "atexit"]
    assert r.stderr == ""


def test_a_reader_that_went_away_is_not_an_error_of_the_command() -> None:
    """`laborcli rates --format json | head -c 100`: the command's exit code, no traceback."""
    p = subprocess.Popen(
        [sys.executable, "-c", _LEAVE + "import sys\nsys.stdin.readline()\nprint('x' * 100)\nleave(0)\n"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_ENV,
    )
    assert p.stdin is not None and p.stdout is not None and p.stderr is not None
    p.stdout.close()  # the reader is gone before anything is written
    p.stdin.write("go\n")
    p.stdin.close()
    assert p.wait(timeout=60) == 0
    with p.stderr:
        assert p.stderr.read() == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_that_could_not_be_written_is_one_line_and_exit_code_2() -> None:
    with open("/dev/full", "w") as full:
        r = _child("print('{}' * 100)\nleave(0)\n", stdout=full, stderr=subprocess.PIPE)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "output not written" in lines[0]


def test_a_stream_closed_from_the_start_is_left_alone() -> None:
    """`laborcli db info >&-` in a cron wrapper: Python has no sys.stdout at all then."""
    r = _child(
        "import sys\nassert sys.stdout is None\nleave(0)\n",
        stdout=None,
        stderr=subprocess.PIPE,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""


def test_under_a_profiler_the_interpreters_own_exit_lets_it_write_its_results(tmp_path: Path) -> None:
    stats = tmp_path / "stats"
    r = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "laborcli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_ENV,
    )
    assert r.returncode == 0, r.stderr
    assert stats.stat().st_size > 0


def test_an_exit_code_of_the_command_stays_when_the_output_fails_too() -> None:
    with open("/dev/full", "w") as full:
        r = _child("print('rejected rows')\nleave(1)\n", stdout=full, stderr=subprocess.PIPE)
    assert r.returncode == 1


def test_the_console_script_leaves_quickly_and_leaves_a_closed_registry(tmp_path: Path) -> None:
    """An import takes the quick exit (no thread left running), and nothing is left for the
    next process to recover: the log was copied into the file and removed."""
    import datetime as dt

    from tests.sheets import person, write_xlsx

    people = [person(n, dt.date(1990, 1, 1 + i), seq=i + 1) for i, n in enumerate(["张三", "李四", "王五"])]
    sheet = write_xlsx(tmp_path / "甲镇_一村_2026-11.xlsx", people)
    db = tmp_path / "r.db"
    watch = (
        "import os, sys\n"
        "real = os._exit\n"
        "def quick(code):\n"
        "    os.write(2, b'quick exit\\n')\n"
        "    real(code)\n"
        "os._exit = quick\n"
        f"sys.argv = ['laborcli', '-q', '--db', {str(db)!r}, 'import', {str(sheet)!r}]\n"
        "from laborcli.cli.entry import run\n"
        "run()\n"
    )
    r = subprocess.run([sys.executable, "-c", watch], capture_output=True, text=True, timeout=120, env=_ENV)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-1:] == ["quick exit"]
    assert db.exists() and not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_a_commands_own_output_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    """Written unbuffered, the output fails inside the command (cli.main), not at the exit."""
    import datetime as dt

    from tests.sheets import person, write_csv

    sheet = write_csv(tmp_path / "甲镇_一村_2026-11.csv", [person("张三", dt.date(1990, 1, 1))])
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "laborcli", "validate", str(sheet), "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env={**_ENV, "PYTHONUNBUFFERED": "1"},
        )
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "no space left" in lines[0], r.stderr


def test_the_console_script_tells_main_that_it_paused_the_collector() -> None:
    spy = (
        "import gc, sys\n"
        "import laborcli.cli.app as app\n"
        "def main(argv=None, *, gc_paused=False):\n"
        "    print(gc_paused, gc.isenabled())\n"
        "    return 0\n"
        "app.main = main\n"
        "from laborcli.cli.entry import run\n"
        "run()\n"
    )
    r = subprocess.run([sys.executable, "-c", spy], capture_output=True, text=True, timeout=60, env=_ENV)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "False"]


def test_the_app_does_not_import_the_console_script() -> None:
    r = subprocess.run(
        [sys.executable, "-c", "import sys, laborcli.cli.app; print('laborcli.cli.entry' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_ENV,
    )
    assert r.stdout.strip() == "False", r.stderr
