"""QEMU's monitor (QMP) from inside the test VM, for PCIe hot-plug.

tests/vm/run --hotplug joins the monitor's socket to the guest's second
serial port (HV_QMP_TTY): what the guest writes there is QMP input, what it
reads is QMP output (replies, events).  Replies are matched to commands by
their "id"; anything else (the greeting, events, the noise of a line that
was not raw yet) is kept as events or dropped.
"""

import json
import os
import select
import termios
import time
import tty

TTY = os.environ.get("HV_QMP_TTY")


class QmpError(Exception):
    pass


class Qmp:
    def __init__(self, path=TTY):
        if not path:
            raise QmpError("no QMP line: boot with tests/vm/run --hotplug")
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[3] &= ~(termios.ECHO | termios.ICANON)
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        # What came before the line was raw (the greeting, half of it
        # echoed back to QEMU by the cooked line) is noise: drop it.
        termios.tcflush(self.fd, termios.TCIFLUSH)
        self.buf = b""
        self.events = []
        self.seq = 0
        self._negotiate()

    def close(self):
        os.close(self.fd)

    def _lines(self, timeout):
        end = time.monotonic() + timeout
        while True:
            while b"\n" in self.buf:
                line, self.buf = self.buf.split(b"\n", 1)
                line = line.strip()
                if line:
                    yield line
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if r:
                self.buf += os.read(self.fd, 65536)

    def _send(self, cmd, args, timeout):
        self.seq += 1
        tag = "hvtest-%d" % self.seq
        msg = {"execute": cmd, "id": tag}
        if args:
            msg["arguments"] = args
        os.write(self.fd, (json.dumps(msg) + "\n").encode())
        for line in self._lines(timeout):
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("id") == tag:
                return obj
            if "event" in obj:
                self.events.append(obj)
        raise QmpError("no reply to %s within %ss" % (cmd, timeout))

    def _negotiate(self):
        # Capabilities negotiation, once per QEMU; a second one is refused
        # with "already complete", which is as good.
        for _ in range(5):
            # Echoed noise can leave QEMU's JSON parser inside an object or
            # a string, waiting for its end and swallowing our commands.  A
            # control character is a lexical error that resets it (QMP
            # spec, "Forcing the JSON parser into known-good state").
            os.write(self.fd, b"\x01\n")
            try:
                r = self._send("qmp_capabilities", None, 10)
            except QmpError:
                continue
            if "return" in r or "already" in r.get("error", {}).get("desc", "").lower():
                return
        raise QmpError("QMP capabilities negotiation failed")

    def cmd(self, cmd, timeout=30, **args):
        """Run a command; returns its "return" value, raises on an error."""
        r = self._send(cmd, args, timeout)
        if "error" in r:
            raise QmpError("%s: %s" % (cmd, r["error"].get("desc")))
        return r.get("return")

    def wait_event(self, name, timeout=60, **data):
        """Wait for an event NAME whose data has the given items."""
        def hit(e):
            return e.get("event") == name and all(
                e.get("data", {}).get(k) == v for k, v in data.items())
        for i, e in enumerate(self.events):
            if hit(e):
                del self.events[i]
                return e
        for line in self._lines(timeout):
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if hit(e):
                return e
            if "event" in e:
                self.events.append(e)
        raise QmpError("no %s event within %ss" % (name, timeout))
