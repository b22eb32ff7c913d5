#!/bin/sh
# Benchmark of the binary as a user runs it: start-up, the whole demo (wizard answers from
# flags + the full OAuth proof against the simulated org), and its peak memory.
#
#   scripts/bench-cli.sh [RUNS]      (default 10)
#
# Prints the median and range of each wall time and the largest peak RSS (from
# getrusage of the child, via python3). Figures, not assertions.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-10}
cargo build --release --quiet
bin=target/release/sf-webex-setup
python3 - "$bin" "$runs" <<'PY'
import resource, statistics, subprocess, sys, time

bin, runs = sys.argv[1], int(sys.argv[2])
env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": "/tmp"}

def measure(args):
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([bin, *args], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"{' '.join(args)} exited {done.returncode}")
    return walls

def report(name, walls):
    print(f"{name:<48} median {statistics.median(walls):7.1f} ms  "
          f"(min {min(walls):.1f}, max {max(walls):.1f}, n={len(walls)})")

report("--help", measure(["--help"]))
report("init --demo --non-interactive --login (proof)",
       measure(["init", "--demo", "--non-interactive", "--login", "--json"]))
# ru_maxrss of all waited-for children, in KiB on Linux: the largest run above.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{'peak RSS of any run':<48} {peak / 1024:7.1f} MiB")
PY
