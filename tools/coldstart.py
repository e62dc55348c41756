#!/usr/bin/python3
"""Cold start of the desk: process start -> top-level window mapped -> first frame drawn.

usage (Debian: apt-get install xvfb python3-xlib, plus the window's run-time libraries):
    Xvfb :99 -screen 0 1400x900x24 -nolisten tcp -noreset &
    DISPLAY=:99 /usr/bin/python3 tools/coldstart.py RUNS BIN [BIN2 ...]
    CS_EVICT=1 ...   drop each binary's pages from the page cache before every run (cold binary)
    CS_CHECK=1 ...   print how many distinct colours the first drawn frame has (is it the UI?)

Runs the binaries interleaved (A B A B ...), RUNS times each, with no arguments (the bundled
sample opens) and a fresh NIANBAO_RECOVERY_DIR. For each run: t_map = MapNotify of the window
titled 年报审校, t_frame = the first XDamage event on it (the first buffer swap). One warm-up
run is not counted. Prints each run and the medians.
"""
import os, subprocess, sys, tempfile, time, statistics
from Xlib import X, display
from Xlib.ext import damage


def name_of(d, w):
    try:
        net = d.get_atom("_NET_WM_NAME")
        utf8 = d.get_atom("UTF8_STRING")
        p = w.get_full_property(net, utf8)
        if p and p.value:
            v = p.value
            return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
        n = w.get_wm_name()
        return n or ""
    except Exception:
        return ""


def one(binary, timeout=60.0):
    d = display.Display()
    root = d.screen().root
    d.damage_query_version()
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    d.sync()
    rec = tempfile.mkdtemp(prefix="nianbao-rec-")
    if os.environ.get("CS_EVICT"):
        # drop this binary's pages from the page cache (only this file): a cold binary
        fd = os.open(binary, os.O_RDONLY)
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    env = dict(os.environ, NIANBAO_RECOVERY_DIR=rec)
    t0 = time.perf_counter()
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t_map = t_frame = None
    damaged = {}  # keeps the Damage objects of the new top-level windows
    mapped = set()
    try:
        while time.perf_counter() - t0 < timeout and t_frame is None:
            if d.pending_events() == 0:
                if p.poll() is not None:
                    raise RuntimeError(f"exited {p.returncode}")
                time.sleep(0.0005)
                continue
            e = d.next_event()
            now = time.perf_counter() - t0
            if e.type == X.CreateNotify:
                w = e.window
                try:
                    damaged[w.id] = w.damage_create(damage.DamageReportNonEmpty)
                except Exception:
                    pass
            elif e.type == X.MapNotify:
                if "年报审校" in name_of(d, e.window) and t_map is None:
                    t_map = now
                    mapped.add(e.window.id)
            elif type(e).__name__ == "DamageNotify":
                wid = e.drawable.id
                if wid in mapped or "年报审校" in name_of(d, e.drawable):
                    t_frame = now
                    if os.environ.get("CS_CHECK"):
                        w = d.create_resource_object("window", wid)
                        g = w.get_geometry()
                        img = w.get_image(0, 0, g.width, g.height, X.ZPixmap, 0xFFFFFFFF)
                        print(f"  first damaged image {g.width}x{g.height}: {len(set(img.data[i:i+4] for i in range(0, len(img.data), 4*97)))} distinct sampled pixels", file=sys.stderr)
    finally:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        d.close()
    return t_map, t_frame


def main():
    runs = int(sys.argv[1])
    bins = sys.argv[2:]
    res = {b: [] for b in bins}
    one(bins[0])  # warm the page cache and the GL/font caches once, not counted
    for i in range(runs):
        for b in bins:
            m, f = one(b)
            res[b].append((m, f))
            print(f"run {i+1} {b}: mapped {m*1000:.0f} ms, first frame {f*1000:.0f} ms", flush=True)
    for b in bins:
        ms = [m for m, _ in res[b]]
        fs = [f for _, f in res[b]]
        print(f"{b}: median mapped {statistics.median(ms)*1000:.0f} ms (min {min(ms)*1000:.0f}, max {max(ms)*1000:.0f}); "
              f"median first frame {statistics.median(fs)*1000:.0f} ms (min {min(fs)*1000:.0f}, max {max(fs)*1000:.0f})")


if __name__ == "__main__":
    main()
