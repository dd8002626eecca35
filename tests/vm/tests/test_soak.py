"""A bounded concurrency soak: VFIO clients on two devices map and unmap in
parallel (each client remaps its chunks in a loop, and is restarted, so
domains are attached, detached and freed throughout) while the skip list
and attach_mode are rewritten and every debugfs table of both modules is
read in a loop.  It ends with no warning in the log (lockdep, KASAN and
sleeping-in-atomic reports on the debug kernel), both devices back in
domain 0 in both views, nothing left in the sim, the audit at 0.  Prints
operations per second."""

import errno
import os
import re
import threading
import time

import hvtest
from hvtest import EDU0, EDU1, IDENTITY, MiB, num

# A minute where lockdep watches (the debug kernel), half that elsewhere:
# the suite runs on every kernel within the CI budget.
SECONDS = int(os.environ.get("HV_SOAK_SECONDS",
                             "60" if os.path.exists("/proc/lockdep") else "30"))
RUN = 8                 # seconds of remapping per client run
SIZE = 4 * MiB
CHUNKS = 16


def client_loop(bdf, stop, totals, errors):
    """Restart the client on bdf until stop; add its ops and runs up."""
    try:
        with hvtest.VfioBound(bdf):
            while not stop.is_set():
                p = hvtest.client(bdf, "--size", SIZE, "--chunks", CHUNKS,
                                  "--loop", RUN, check=False, timeout=300)
                if p.returncode:
                    errors.append("%s: %s" % (bdf, p.stderr.strip()))
                    return
                m = re.search(r"^loop: ops (\d+) seconds ([\d.]+)$", p.stdout, re.M)
                totals.append((bdf, int(m.group(1)), float(m.group(2))))
    except Exception as e:      # pylint: disable=broad-except
        errors.append("%s: %r" % (bdf, e))


def writers(stop, counts, errors):
    """The skip list (a device no client uses) and attach_mode, flipped."""
    skip_old = hvtest.param("pci_devs_to_skip")
    mode_old = hvtest.param("attach_mode")
    i = 0
    try:
        while not stop.is_set():
            for name, value in (("pci_devs_to_skip", "(%s)" % hvtest.NIC if i % 2 else "\n"),
                                ("attach_mode", ("auto", "domain")[i % 2])):
                err = hvtest.set_param(name, value)
                if err:
                    errors.append("%s=%r: %s" % (name, value, os.strerror(err)))
                counts["writes"] += 1
            i += 1
            time.sleep(0.05)
    finally:
        hvtest.set_param("pci_devs_to_skip", skip_old or "\n")
        hvtest.set_param("attach_mode", mode_old)


def readers(stop, counts, errors):
    """Every readable debugfs file of hv_iommu and hv_sim, again and again."""
    while not stop.is_set():
        for top in (hvtest.DBG_IOMMU, hvtest.DBG_SIM):
            for root, _dirs, files in os.walk(top):
                for name in files:
                    path = os.path.join(root, name)
                    try:
                        if name == "call" or not os.stat(path).st_mode & 0o444:
                            continue
                        hvtest.read_text(path)
                        counts["reads"] += 1
                    except FileNotFoundError:
                        pass        # a domain's mappings file went meanwhile
                    except OSError as e:
                        # debugfs answers EIO to a read of a file removed
                        # while open (debugfs_file_get()): a domain freed
                        # between the open and the read.
                        if e.errno == errno.EIO and os.path.dirname(path).endswith("/mappings"):
                            continue
                        errors.append("read %s: %s" % (path, e))


def test_soak(summary):
    hvtest.root_only()
    mark = hvtest.kmsg_mark()
    stop = threading.Event()
    totals, errors = [], []
    counts = {"writes": 0, "reads": 0}
    threads = [threading.Thread(target=client_loop, args=(b, stop, totals, errors))
               for b in (EDU0, EDU1)]
    threads += [threading.Thread(target=writers, args=(stop, counts, errors)),
                threading.Thread(target=readers, args=(stop, counts, errors))]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    try:
        time.sleep(SECONDS)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=300)
    wall = time.monotonic() - t0
    assert not any(t.is_alive() for t in threads), "a soak thread hangs"
    assert not errors, "\n".join(errors)
    ops = sum(n for _, n, _ in totals)
    runs = len(totals)
    log = hvtest.dmesg_since(mark)
    warns = re.findall(r"^.*(?:WARNING:|BUG:|Oops|KASAN|UBSAN|circular locking|"
                       r"sleeping function called|possible recursive locking).*$", log, re.M)
    summary("soak", "%.0f s, %d client runs on 2 devices, %d map/unmap ops (%.1f ops/s), "
            "%d parameter writes, %d debugfs reads, warnings %d" % (
                wall, runs, ops, ops / wall, counts["writes"], counts["reads"], len(warns)))
    assert runs >= 2 and ops > 0, totals
    assert not warns, log
    t = hvtest.LIVE
    for bdf in (EDU0, EDU1):
        assert t.device_domain(bdf) == IDENTITY and num(t.sim_device(bdf)["domain"]) == IDENTITY
    assert not [d for d in t.domains() if d["type"] == "paging"], t.domains()
    assert hvtest.domains_in_use() == 0
    assert all(n == 0 for n in t.sim_audit().values()), hvtest.knob("audit")
