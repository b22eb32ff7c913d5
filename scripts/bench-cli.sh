#!/bin/sh
# Benchmark of the binary as a user runs it: its size, `--help` start-up side by side with a
# bare clap binary (built here, same clap version and features, default release profile),
# the whole demo (wizard answers from flags + the full OAuth proof against the simulated
# org), and its peak memory.
#
#   scripts/bench-cli.sh [RUNS]      (default 200 for --help, RUNS/20 for the demo)
#
# Start-up is timed with posix_spawn + waitpid (no shell), the two binaries alternating so
# that a busy machine slows both alike; the median and range are printed, and the ratio of
# the medians. Figures, not assertions.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-200}
cargo build --release --locked --quiet
bin=target/release/sf-webex-setup

# The bare clap binary: one derive struct, nothing else.
bare_dir=target/bench-bare-clap
clap_version=$(awk '/^name = "clap"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
mkdir -p "$bare_dir/src"
cat >"$bare_dir/Cargo.toml" <<EOF
[package]
name = "bare-clap"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
clap = { version = "=$clap_version", features = ["derive", "env", "wrap_help"] }

[workspace]
EOF
cat >"$bare_dir/src/main.rs" <<'EOF'
use clap::Parser;

/// A bare clap binary: the floor for a Rust CLI's start-up.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// Print JSON
    #[arg(long)]
    json: bool,
    /// A name
    #[arg(long)]
    name: Option<String>,
}

fn main() {
    let _ = Cli::parse();
}
EOF
cargo build --release --quiet --manifest-path "$bare_dir/Cargo.toml" --target-dir "$bare_dir/target"
bare=$bare_dir/target/release/bare-clap

python3 - "$bin" "$bare" "$runs" <<'PY'
import os, resource, statistics, subprocess, sys, time

bin, bare, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": "/tmp"}
devnull = os.open(os.devnull, os.O_RDWR)
actions = [(os.POSIX_SPAWN_DUP2, devnull, fd) for fd in (0, 1, 2)]

def spawn_ms(argv):
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status = os.waitpid(pid, 0)
    took = (time.perf_counter() - start) * 1000
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(argv)} exited {status}")
    return took

def report(name, walls):
    print(f"{name:<48} median {statistics.median(walls):7.2f} ms  "
          f"(min {min(walls):.2f}, max {max(walls):.2f}, n={len(walls)})")

for path, name in [(bin, "sf-webex-setup"), (bare, "bare clap")]:
    print(f"{'size of ' + name + ' (release)':<48} {os.path.getsize(path) / 1e6:7.2f} MB "
          f"({os.path.getsize(path) / 2**20:.2f} MiB)")

ours, floor = [], []
for _ in range(runs):
    ours.append(spawn_ms([bin, "--help"]))
    floor.append(spawn_ms([bare, "--help"]))
report("sf-webex-setup --help", ours)
report("bare clap --help", floor)
print(f"{'--help start-up ratio (medians)':<48} {statistics.median(ours) / statistics.median(floor):7.2f}x")

demo = []
for _ in range(max(runs // 20, 3)):
    start = time.perf_counter()
    done = subprocess.run([bin, "init", "--demo", "--non-interactive", "--login", "--json"],
                          env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    demo.append((time.perf_counter() - start) * 1000)
    if done.returncode != 0:
        sys.exit(f"the demo exited {done.returncode}")
report("init --demo --non-interactive --login (proof)", demo)
# ru_maxrss of all waited-for children, in KiB on Linux: the largest run above.
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{'peak RSS of any run':<48} {peak / 1024:7.1f} MiB")
PY
