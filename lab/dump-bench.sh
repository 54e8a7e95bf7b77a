#!/usr/bin/env bash
# dump-bench: the ARP responder while clients dump neighd's table (issue 10, defect 2).
#
#   sudo NDLAB_PREFIX=ndz lab/dump-bench.sh                     build, measure, print the figures
#   sudo DUMP_ENTRIES=1000000 DUMP_CLIENTS=50 lab/dump-bench.sh   the issue's goal size
#
# Builds a lab (lab/ndlab.sh up --peers 1) and starts neighd from this checkout (the image's JVM
# flags) attached to nd0 in <prefix>-nd, owning 10.77.0.1/24, with DUMP_ENTRIES PERMANENT entries
# added through the batch endpoint. Then a peer's kernel-side prober (lab/arpbench.c rtt, as
# arping: AF_PACKET in the peer namespace) sends DUMP_PROBES who-has 10.77.0.1 one per ms, each
# waiting up to 100 ms for its reply, three times:
#   idle   nothing else
#   full   DUMP_CLIENTS clients each dumping the whole table (GET /api/v1/neighbours) in a loop,
#          reading at full speed; a 503 too-many-dumps is honoured (sleep Retry-After)
#   paged  DUMP_CLIENTS clients each walking the table in pages (limit=10000, cursor) in a loop
# and prints, per phase, probes answered of sent, p50 and p99 RTT, and the dumps completed.
#
# Safety: frames only inside the lab's own namespaces; everything started here is stopped by its
# PID and the lab taken down on any exit; the whole run is bounded by DUMP_MAX_SECONDS.
#
# Env: NDLAB_PREFIX (default ndlab), DUMP_ENTRIES (100000), DUMP_CLIENTS (20), DUMP_PROBES (1000),
#      DUMP_MAX_SECONDS (900), DUMP_SKIP_BUILD=1 (reuse target/classes and the class path file),
#      DUMP_JAVA_OPTS (the image's flags, see docker/Dockerfile).
# Exit codes: 0 ran, 2 usage, 77 not enough privilege, 1 other failure.
set -euo pipefail

readonly PREFIX=${NDLAB_PREFIX:-ndlab}
readonly ENTRIES=${DUMP_ENTRIES:-100000} CLIENTS=${DUMP_CLIENTS:-20} PROBES=${DUMP_PROBES:-1000}
readonly MAX_SECONDS=${DUMP_MAX_SECONDS:-900}
readonly JAVA_OPTS=${DUMP_JAVA_OPTS:--XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT WORK=$ROOT/target/dump-bench
readonly ND=$PREFIX-nd OWN=10.77.0.1

say() { printf 'dump-bench: %s\n' "$*" >&2; }
die() { printf 'dump-bench: %s\n' "$1" >&2; exit "${2:-1}"; }
# shellcheck source=lab/bench-lib.sh
. "$ROOT/lab/bench-lib.sh"

[[ $PREFIX =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "NDLAB_PREFIX must be 2-10 lower-case letters/digits" 2
for v in ENTRIES CLIENTS PROBES MAX_SECONDS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "DUMP_${v}: a positive integer please, got: ${!v}" 2
done
((ENTRIES <= 1000000 && CLIENTS <= 100)) || die "DUMP_ENTRIES at most 1000000, DUMP_CLIENTS at most 100" 2

neighd_pid='' watchdog_pid='' lab_up=0 clients=()
stop_clients() {
  local p
  for p in "${clients[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${clients[@]}"; do wait "$p" 2>/dev/null || true; done
  clients=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_clients
  bench_stop_neighd
  if ((lab_up)); then
    NDLAB_PREFIX=$PREFIX bash "$ROOT/lab/ndlab.sh" down >/dev/null 2>&1 || say "lab down failed: run NDLAB_PREFIX=$PREFIX lab/ndlab.sh down"
  fi
  [[ -z $watchdog_pid ]] || kill "$watchdog_pid" 2>/dev/null || true
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_need_root
bench_need_tools "iproute2 gcc default-jre-headless curl gawk coreutils" ip gcc java curl awk timeout
mkdir -p "$WORK/run"
bench_watchdog "$MAX_SECONDS" DUMP_MAX_SECONDS

cd "$ROOT"
bench_build "${DUMP_SKIP_BUILD:-0}" DUMP_SKIP_BUILD -o

say "lab: NDLAB_PREFIX=$PREFIX lab/ndlab.sh up --peers 1"
lab_up=1
NDLAB_PREFIX=$PREFIX timeout 120 bash lab/ndlab.sh up --peers 1 >"$WORK/lab.log" 2>&1 \
  || { cat "$WORK/lab.log" >&2; die "lab up failed"; }

bench_api 19897 19997
rm -f "$WORK/run/state.json"
bench_sysctl_file "$ENTRIES" "$WORK/run/sysctl.conf"
say "neighd: starting on port $port (nd0 in $ND; JVM: $JAVA_OPTS)"
bench_start_neighd --neighd.api.max-batch="$ENTRIES" --neighd.api.max-request-body=256MB \
  --neighd.state-file="$WORK/run/state.json" --neighd.sysctl-file="$WORK/run/sysctl.conf" \
  "--neighd.interfaces[0].name=nd0" "--neighd.interfaces[0].netns=$ND" "--neighd.interfaces[0].addresses[0]=$OWN/24"

awk -v n="$ENTRIES" 'BEGIN { printf "["; for (i = 1; i <= n; i++) {
    printf "%s{\"dst\":\"10.%d.%d.%d\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:%02x:%02x:%02x:01\"}",
      (i > 1 ? "," : ""), 100 + int(i / 65536), int(i / 256) % 256, i % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }
    print "]" }' >"$WORK/run/entries.json"
say "adding $ENTRIES PERMANENT entries ..."
curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$WORK/run/entries.json" \
  "$API/api/v1/neighbours/batch" || die "the batch failed"
in_table=$(curl -s "$API/api/v1/stats" | grep -o '"entries":[0-9]*' | head -1 | cut -d: -f2)
((${in_table:-0} >= ENTRIES)) || die "the table holds ${in_table:-?} entries, not $ENTRIES"
say "the table holds $in_table entries"

rtt() { # -> one arpbench rtt line: PROBES probes 1 ms apart, 100 ms timeout each
  timeout 120 ip netns exec "$PREFIX-nd-s0p1" "$WORK/arpbench" rtt eth0 02:4e:44:00:00:11 10.77.0.11 "$OWN" \
    "$PROBES" 1000 100
}
full_client() { # $1: its count file
  local n=0 code
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$API/api/v1/neighbours" || echo 000)
    if [[ $code == 200 ]]; then n=$((n + 1)); echo "$n" >"$1"; else sleep 1; fi
  done
}
paged_client() { # $1: its count file
  local n=0 cursor hdr
  while :; do
    cursor=''
    while :; do
      hdr=$(curl -s -D - -o /dev/null "$API/api/v1/neighbours?limit=10000${cursor:+&cursor=$cursor}" || true)
      cursor=$(printf '%s' "$hdr" | tr -d '\r' | sed -n 's/^[Nn]eighd-[Nn]ext-[Cc]ursor: //p')
      [[ -n $cursor ]] || break
    done
    n=$((n + 1)); echo "$n" >"$1"
  done
}
phase() { # name [client function]
  local name=$1 fn=${2:-} i line done_dumps=0
  rm -f "$WORK/run/count."*
  if [[ -n $fn ]]; then
    for ((i = 1; i <= CLIENTS; i++)); do "$fn" "$WORK/run/count.$i" & clients+=($!); done
    sleep 3 # the clients under way
  fi
  line=$(rtt)
  stop_clients
  for f in "$WORK/run/count."*; do [[ -r $f ]] && done_dumps=$((done_dumps + $(<"$f"))); done
  printf '%-6s entries=%s clients=%s dumps=%s %s\n' "$name" "$ENTRIES" "$([[ -n $fn ]] && echo "$CLIENTS" || echo 0)" \
    "$done_dumps" "$line"
}

say "warming up ..."
rtt >/dev/null
curl -sf -o /dev/null "$API/api/v1/neighbours"
say "measuring: $PROBES probes 1 ms apart per phase (load average $(cut -d' ' -f1-3 /proc/loadavg))"
date -u '+dump-bench: %Y-%m-%dT%H:%M:%SZ'
phase idle
phase full full_client
phase paged paged_client
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
