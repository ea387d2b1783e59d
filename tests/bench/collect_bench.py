#!/usr/bin/env python3
"""The collection benchmark (issue #4): the Graph emulator serves N sign-ins for one tenant (throttling off, no
gzip); `vigil run --once` collects them to jsonl (the event store turned off, so that both write the same), then
again with the event store on as it is by default ("+store"), and beside it in the same run a short Python script
collects them to jsonl (baseline_collector.py). Prints events/s, CPU seconds per million events, bytes written to disk per event and peak
RSS for both, and the disk's sequential write rate (dd with fdatasync).

    collect_bench.py BUILD_DIR [EVENTS]      (scripts/bench.sh runs it)

Environment: BENCH_PERF=FILE records a perf profile of vigil (BENCH_PERF_ARGS, default "-g", e.g.
"--call-graph=dwarf"); BENCH_STRACE=FILE counts its system calls instead; BENCH_KEEP=1 leaves the work folder (the
jsonl file, the spool) for a look; BENCH_DIR is where that folder is made.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

build = os.path.abspath(sys.argv[1])
events = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
here = os.path.dirname(os.path.abspath(__file__))
tenant = "b0b0b0b0-0000-4000-8000-000000000001"
client_id = "00000000-0000-0000-0000-0000000000b1"
secret = "bench-secret"


def measure(command, **kwargs):
    """Runs command; returns (seconds, user+sys CPU seconds, peak RSS in MB, bytes written, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    stdout = process.stdout.read()
    process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{command[0]} failed ({status}); see its log")
    # Linux reports ru_oublock in 512-byte units of what the process caused to be written to storage.
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, usage.ru_oublock * 512, stdout


work = tempfile.mkdtemp(prefix="vigil-collect-bench-", dir=os.environ.get("BENCH_DIR"))
emulator = None
try:
    with open(f"{work}/scenario.yaml", "w") as scenario:
        scenario.write(f"gzip: false\ntenants:\n  - id: {tenant}\n    domain: bench.example\n"
                       f"    applications:\n      - {{client_id: {client_id}, secret: {secret}}}\n"
                       f"    signin_records: {events}\n")
    emulator = subprocess.Popen([f"{build}/graph-emulator", "--scenario", f"{work}/scenario.yaml", "--state-dir",
                                 f"{work}/emulator"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):  # it renders every record before it listens
        if os.path.exists(f"{work}/emulator/emulator.env"):
            break
        time.sleep(0.1)
    env = dict(line.split("=", 1) for line in open(f"{work}/emulator/emulator.env").read().split())

    def disk_rate_mb_s():
        dd = subprocess.run(["dd", "if=/dev/zero", f"of={work}/dd.test", "bs=1M", "count=1024", "conv=fdatasync"],
                            capture_output=True, text=True).stderr
        os.remove(f"{work}/dd.test")
        match = re.search(r"([\d.,]+) ([kMG]?B)/s", dd)
        return float(match.group(1).replace(",", ".")) * {"kB": 1e-3, "MB": 1, "GB": 1e3, "B": 1e-6}[match.group(2)]

    # A virtual disk's rate varies with what the host caches: three measurements, the median compared with.
    disk_rates = sorted(disk_rate_mb_s() for _ in range(3))
    disk_mb_s = disk_rates[1]

    days = events * 0.5 / 86400 + 1  # sign-ins are 500 ms apart
    def write_config(name, store):
        """The agent's configuration: jsonl only like the baseline, or with the event store as by default."""
        with open(f"{work}/{name}.yaml", "w") as config:
            config.write(f"""agent:
  data_dir: {work}/{name}
  plugin_dirs: [{build}/plugins]
  log: {{level: warn, file: {work}/vigil.log}}
  graph: {{requests: 1000000, window: 1s}}
credentials:
  - {{name: bench, client_id: {client_id}, client_secret: {secret}}}
organizations:
  - name: Bench
    sources:
      - type: entra_id
        tenant_id: {tenant}
        credentials: bench
        endpoints: {{login: "{env['URL']}", graph: "{env['URL']}"}}
        tls: {{ca_file: "{env['CA_FILE']}"}}
        connectors:
          entra_logons: {{lag: 0s, backfill: {min(30, int(days) + 1)}d, chunk: 7d, non_interactive: true,
                          service_principal: true, managed_identity: true}}
outputs:
  - {{type: jsonl, path: {work}/{name}.jsonl}}
  - {{type: store, enabled: {'true' if store else 'false'}}}
""")
        os.chmod(f"{work}/{name}.yaml", 0o600)  # it holds the secret: the agent refuses it readable by others

    write_config("vigil", store=False)
    write_config("with-store", store=True)
    profile = ["perf", "record", *os.environ.get("BENCH_PERF_ARGS", "-g").split(), "-o", os.environ["BENCH_PERF"], "--"] if os.environ.get("BENCH_PERF") else []
    if os.environ.get("BENCH_STRACE"):  # syscall counts instead of a profile
        profile = ["strace", "-c", "-f", "-o", os.environ["BENCH_STRACE"]]
    vigil = measure(profile + [f"{build}/vigil", "run", "--config", f"{work}/vigil.yaml", "--once"])
    vigil_events = sum(1 for _ in open(f"{work}/vigil.jsonl"))
    # The same with the event store (on by default; reports read it): one more output, a second copy of each event.
    with_store = measure([f"{build}/vigil", "run", "--config", f"{work}/with-store.yaml", "--once"])
    with_store_events = sum(1 for _ in open(f"{work}/with-store.jsonl"))
    baseline = measure([sys.executable, f"{here}/baseline_collector.py", env["URL"], env["CA_FILE"], tenant,
                        client_id, secret, f"{work}/baseline.jsonl"])
    baseline_events = int(baseline[4])

    print(f"collection benchmark: {events} sign-ins from the emulator (TLS, no gzip, throttling off)")
    print(f"disk: sequential write {disk_mb_s:.0f} MB/s, the median of {', '.join(f'{r:.0f}' for r in disk_rates)}"
          " (dd 1 GiB with fdatasync)")
    print(f"{'':<10} {'events':>9} {'seconds':>8} {'events/s':>10} {'CPU s/M':>8} {'bytes/event':>12} "
          f"{'written MB/s':>13} {'peak RSS MB':>12}")
    for name, (seconds, cpu, rss, written, _), count in (("vigil", vigil, vigil_events),
                                                        ("+store", with_store, with_store_events),
                                                        ("baseline", baseline, baseline_events)):
        print(f"{name:<10} {count:>9} {seconds:>8.2f} {count / seconds:>10.0f} {cpu / count * 1e6:>8.2f} "
              f"{written / count:>12.0f} {written / seconds / 1e6:>13.1f} {rss:>12.1f}")
    print(f"vigil / baseline events/s: {(vigil_events / vigil[0]) / (baseline_events / baseline[0]):.1f}x; "
          f"vigil writes at {vigil[3] / vigil[0] / 1e6 / disk_mb_s * 100:.0f}% of the disk's median rate")
finally:
    if emulator:
        emulator.terminate()
        emulator.wait()
    if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 leaves the work folder for a look
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")
