"""hvctl top in tmux: keys sent with send-keys, the screen read back with
capture-pane, as an operator would see it.  The last screens are kept in
tests/vm/artefacts/ (text, and a PNG when ansilove is installed)."""

import os
import re
import shutil
import subprocess
import time

import pytest

import hvtest
from hvtest import EDU0, MiB

SOCK = "hvtest-top"
ART = os.environ.get("HV_ARTEFACTS") or os.path.join(hvtest.REPO, "tests", "vm", "artefacts")
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args, check=True):
    p = subprocess.run(["tmux", "-L", SOCK] + [str(a) for a in args], capture_output=True,
                       text=True, timeout=30)
    assert not check or p.returncode == 0, "tmux %s: %s" % (" ".join(map(str, args)), p.stderr)
    return p.stdout


def screen():
    return tmux("capture-pane", "-p", "-t", "top")


def wait_screen(pred, what, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        s = screen()
        if pred(s):
            return s
        assert time.monotonic() < deadline, "%s never showed; the screen:\n%s" % (what, s)
        time.sleep(0.2)


def keys(*k):
    tmux("send-keys", "-t", "top", *k)


def pane(fmt):
    return tmux("display-message", "-p", "-t", "top", fmt).strip()


def keep(name, text):
    """The screen as text (and a PNG through ansilove, if there)."""
    os.makedirs(ART, exist_ok=True)
    path = os.path.join(ART, name)
    with open(path + ".txt", "w") as f:
        f.write(text)
    if shutil.which("ansilove"):
        with open(path + ".ans", "w") as f:
            f.write(tmux("capture-pane", "-p", "-e", "-t", "top"))
        subprocess.run(["ansilove", "-q", "-c", "160", "-o", path + ".png", path + ".ans"],
                       capture_output=True, timeout=60)


@pytest.fixture
def top(tmp_path):
    """hvctl top (0.5 s interval) in a 160x50 tmux pane; after it ends, the
    pane's shell saves its exit status and the tty's modes and stays, so
    that the terminal it left behind can be looked at."""
    tmux("kill-server", check=False)
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "top", "-x", 160, "-y", 50,
         "env", "TERM=tmux-256color", "PATH=" + os.environ["PATH"], "sh", "-c",
         "hvctl top --delay 0.5; echo $? > {0}/status; stty -a > {0}/stty; sleep 3600"
         .format(tmp_path))
    wait_screen(lambda s: "hvctl top" in s and "HYPERCALL" in s, "the main screen")
    yield tmp_path
    tmux("kill-server", check=False)


def top_pid():
    return subprocess.run(["pgrep", "-x", "-P", pane("#{pane_pid}"), "hvctl"], capture_output=True,
                          text=True).stdout.split()[0]


def wait_exit(d, why):
    """hvctl top's exit status once it ended; asserts that it left the
    terminal as it found it: main screen, cursor shown, cooked mode, echo."""
    deadline = time.monotonic() + 30
    while not (d / "stty").exists() or not (d / "stty").read_text():
        assert time.monotonic() < deadline, "hvctl top did not end on %s" % why
        time.sleep(0.2)
    assert pane("#{alternate_on}") == "0", "the terminal was left on the alternate screen"
    assert pane("#{cursor_flag}") == "1", "the cursor was left hidden"
    modes = (d / "stty").read_text().split()
    assert "icanon" in modes and "echo" in modes and "-icanon" not in modes, modes
    return (d / "status").read_text().strip()


def test_top_screens(top, attach_mode, tmp_path):
    """A VFIO client maps 64 MiB: its domain appears with its mapped bytes;
    the help screen, sort, filter, pause, drill-down into the domain and its
    device, and back; a resize to 80x24 relays the screen out."""
    attach_mode("domain")
    done = tmp_path / "done"
    with hvtest.VfioBound(EDU0):
        # Mapped until the test is done with the screens.
        client = subprocess.Popen([hvtest.CLIENT, "--size", str(64 * MiB), "--while-mapped",
                                   "while [ ! -e %s ]; do sleep 0.2; done" % done, EDU0],
                                  stdout=subprocess.PIPE, text=True)
        try:
            row = re.compile(r"^(\d+)\s+paging\s+domain\s+64M\s+\d+.*%s" % re.escape(EDU0), re.M)
            s = wait_screen(row.search, "the mapped domain's row")
            dom = int(row.search(s).group(1))
            keep("top-main", s)

            keys("h")
            s = wait_screen(lambda s: "hvctl top: keys" in s, "the help screen")
            assert "drill down" in s and "quit" in s
            keep("top-help", s)
            keys("x")  # any key: back
            wait_screen(lambda s: "HYPERCALL" in s, "the main screen after help")

            keys("s")
            wait_screen(lambda s: "sort: mapped" in s, "sort by mapped bytes")
            # Sorted by mapped bytes, the mapped domain is the first row.
            keys("f")
            keys(EDU0, "Enter")
            s = wait_screen(lambda s: 'filter: "%s"' % EDU0 in s, "the filter")
            assert re.search(r"^0\s+identity", s, re.M) is None, s
            keys("p")
            wait_screen(lambda s: "[paused]" in s, "pause")
            keys("p")
            wait_screen(lambda s: "[paused]" not in s, "resume")

            keys("Enter")
            s = wait_screen(lambda s: "Domain %d " % dom in s and "MAPPINGS (first 10)" in s,
                            "the domain drill-down")
            assert "Mapped 64M" in s and EDU0 in s, s
            assert len(re.findall(r"^0x[0-9a-f]{16}-0x[0-9a-f]{16} ", s, re.M)) >= 1, s
            keep("top-domain", s)
            keys("Enter")
            s = wait_screen(lambda s: "Device %s" % EDU0 in s, "the device drill-down")
            assert re.search(r"domain\s+%d" % dom, s) and "attached" in s, s
            keys("Escape")
            wait_screen(lambda s: "Domain %d " % dom in s, "back to the domain")
            keys("Escape")
            wait_screen(lambda s: "HYPERCALL" in s, "back to the main screen")

            tmux("resize-window", "-t", "top", "-x", 80, "-y", 24)
            s = wait_screen(lambda s: "hvctl top" in s and len(s.splitlines()) <= 24 and
                            "h help" in s, "the screen at 80x24")
            assert max(len(l) for l in s.splitlines()) <= 80, s
            keep("top-80x24", s)
        finally:
            done.touch()
            client.wait(timeout=300)
    keys("q")
    assert wait_exit(top, "q") == "0"


@pytest.mark.parametrize("sig", ["TERM", "INT", "HUP"])
def test_top_restores_terminal_on_signal(top, sig):
    """A signal ends hvctl top with the terminal as it was: main screen,
    cursor visible, cooked mode with echo; exit status 0."""
    assert pane("#{alternate_on}") == "1" and pane("#{cursor_flag}") == "0"
    subprocess.run(["kill", "-" + sig, top_pid()], check=True)
    assert wait_exit(top, "SIG" + sig) == "0"


def test_top_batch_while_mapped(tmp_path, attach_mode):
    """top --batch prints the same figures once: the mapped domain with its
    bytes, the hypercalls with their rates, the skipped devices."""
    attach_mode("domain")
    out = tmp_path / "batch"
    with hvtest.VfioBound(EDU0):
        hvtest.client(EDU0, "--size", 32 * MiB,
                      "--while-mapped", "hvctl top --batch --delay 0.5 > %s" % out)
    text = out.read_text()
    assert re.search(r"^\d+\s+paging\s+domain\s+32M\s.*%s" % re.escape(EDU0), text, re.M), text
    assert re.search(r"^map_device_gpa_pages\s+0x00b3\s+\d+\s+\d+\s+\d+\s+\d+$", text, re.M), text
    assert "SKIPPED" in text


def test_top_usage_errors():
    p = hvtest.hvctl("top", "--delay", "0")
    assert p.returncode == 2 and "delay" in p.stderr and p.stdout == ""
    p = subprocess.run(["hvctl", "top"], stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2 and "needs a terminal" in p.stderr
    p = hvtest.hvctl("list-domains", "--batch")
    assert p.returncode == 2 and "top only" in p.stderr
