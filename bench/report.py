"""Benchmark of the PDF diagnosis report on the complete demo diagnosis.

Prints the median render time in a warm process, the PDF size and the RSS growth over many
consecutive renders, each next to its target. Run: ``.venv/bin/python bench/report.py``
(``--quick`` for fewer renders while developing).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diagnosis.reports.context import demo_input  # noqa: E402
from diagnosis.reports.render import fast_font_subsetting, render_pdf, template_hash  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_BYTES = 1_000_000
TARGET_RSS_MB = 50.0


def rss_mb() -> float:
    """Resident set size now, from /proc/self/statm (resource's ru_maxrss is only the peak)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def verdict(ok: bool) -> str:
    return "OK " if ok else "OVER"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--timed", type=int, default=20, help="renders timed for the median")
    parser.add_argument("--rss-renders", type=int, default=200, help="consecutive renders for RSS growth")
    parser.add_argument("--quick", action="store_true", help="5 timed renders, 30 for RSS")
    parser.add_argument("--out", help="also write the PDF here")
    args = parser.parse_args()
    if args.quick:
        args.timed, args.rss_renders = 5, 30

    print(f"CPUs: {os.cpu_count()}  HarfBuzz subsetting: {'yes' if fast_font_subsetting() else 'NO (fontTools)'}  "
          f"template hash: {template_hash()[:12]}")
    data = demo_input()
    t0 = time.perf_counter()
    pdf = render_pdf(data)
    first = time.perf_counter() - t0
    for _ in range(max(args.warmup - 1, 0)):
        pdf = render_pdf(data)
    times = []
    for _ in range(args.timed):
        t0 = time.perf_counter()
        pdf = render_pdf(data)
        times.append(time.perf_counter() - t0)
    if args.out:
        Path(args.out).write_bytes(pdf)
    median = statistics.median(times)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")

    base = rss_mb()
    peak = base
    for i in range(args.rss_renders):
        render_pdf(data)
        if i % 10 == 9:
            peak = max(peak, rss_mb())
    growth = rss_mb() - base

    print(f"first render (cold):               {first:7.3f} s")
    print(f"median render, warm ({len(times):>3} renders):  {median:7.3f} s   target <= {TARGET_SECONDS:.1f} s   "
          f"{verdict(median <= TARGET_SECONDS)}  (min {min(times):.3f}, max {max(times):.3f})")
    print(f"PDF size ({pages} pages):               {len(pdf) / 1000:7.1f} kB  target <= {TARGET_BYTES / 1000:.0f} kB  "
          f"{verdict(len(pdf) <= TARGET_BYTES)}")
    print(f"RSS growth over {args.rss_renders:>3} renders:       {growth:7.1f} MB  target <= {TARGET_RSS_MB:.0f} MB    "
          f"{verdict(growth <= TARGET_RSS_MB)}  (RSS {base:.0f} -> {rss_mb():.0f} MB, peak {peak:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
