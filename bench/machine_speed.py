#!/usr/bin/env python3
"""How fast this machine is at this moment, in two fixed jobs: SHA-256 of 256 MiB (the CPU) and
a 4 KiB page fault (the virtual machine's exits: each first touch of anonymous memory).

bench/run prints both beside each block of figures. On this shared 2-core virtual machine both
move by a third within an hour with no steal shown in vmstat (session 21), and a block run at
a slow moment then reads as a worse figure; the two numbers let a reader see it.
    bench/machine_speed.py   ->  "SHA-256 of 256 MiB 160 ms, 4 KiB page fault 10.5 us"
The median of three tries of each, so that one interruption does not decide it."""
import hashlib
import mmap
import statistics
import time


def cpu_ms():
    block, digest = bytes(1 << 20), hashlib.sha256()
    start = time.perf_counter()
    for _ in range(256):
        digest.update(block)
    return (time.perf_counter() - start) * 1000


def fault_us():
    size = 32 << 20
    memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    memory.madvise(mmap.MADV_NOHUGEPAGE)  # 4 KiB pages also where THP is "always"
    start = time.perf_counter()
    for offset in range(0, size, 4096):
        memory[offset] = 1
    elapsed = time.perf_counter() - start
    memory.close()
    return elapsed * 1e6 / (size // 4096)


print(f"SHA-256 of 256 MiB {statistics.median(cpu_ms() for _ in range(3)):.0f} ms, "
      f"4 KiB page fault {statistics.median(fault_us() for _ in range(3)):.1f} us")
