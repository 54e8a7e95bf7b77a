#!/usr/bin/env bash
# startup-bench: how soon neighd is ready and how much memory it holds, as the jar and as the image.
#
#   sudo lab/startup-bench.sh                          build the jar and the image, measure both
#   sudo NDLAB_PREFIX=ndperf lab/startup-bench.sh      beside another lab
#   sudo STARTUP_SKIP_BUILD=1 lab/startup-bench.sh     reuse target/neighd-*.jar and the image
#
# On a one-segment lab (lab/ndlab.sh up --peers 1), neighd attaches to nd0 and owns 10.77.0.1/24,
# once as `java -jar target/neighd-*.jar` run inside <prefix>-nd (ip netns exec: it sees nd0 as a
# host-network process sees the node's interfaces), once as the image in a pod-like sandbox that
# holds nd0 (a `--network none` container whose namespace receives nd0; neighd's container joins
# it), both with the image's JVM options and the chart's memory limit (resources.limits.memory,
# 512Mi: the image runs with --memory, the jar with -XX:MaxRAM, the figure the JVM sizes its heap
# from). For each run:
#   ready     from the JVM process's start (its /proc starttime, so not docker's container set-up)
#             to the first 200 of GET /actuator/health/readiness, polled every 5 ms from inside
#             the namespace; and the CPU time the process had used by then (user + system, all
#             threads), which other load on the machine distorts far less than the wall time;
#   RSS idle  VmRSS 10 s after ready;
#   RSS 100k  VmRSS after POST /api/v1/neighbours/batch of 100,000 PERMANENT entries and one
#             GET /api/v1/neighbours, 5 s later.
# Prints the median of STARTUP_RUNS runs per form, and the single figures, as a Markdown table
# (also target/startup-bench/report.md).
#
# Safety: everything runs inside the lab's namespaces; neighd sends nothing unasked here.
# Processes and containers started here are stopped by PID/ID and the lab taken down on exit.
#
# Env: NDLAB_PREFIX        lab name prefix (default ndlab)
#      STARTUP_RUNS        runs per form (default 5)
#      STARTUP_ENTRIES     entries for the second RSS figure (default 100000)
#      STARTUP_IMAGE       image tag to build and run (default neighd:startup-bench; empty: jar only)
#      STARTUP_MEMORY      the memory limit (default 512m, the chart's)
#      STARTUP_JAVA_OPTS   the jar's JVM options (default: the image's JAVA_OPTS, and -XX:MaxRAM=<limit>)
#      STARTUP_SKIP_BUILD  1: do not run ./mvnw package or docker build
# Exit codes: 0 ran, 2 usage, 77 not enough privilege, 1 other failure.
set -euo pipefail

readonly PREFIX=${NDLAB_PREFIX:-ndlab}
readonly RUNS=${STARTUP_RUNS:-5} ENTRIES=${STARTUP_ENTRIES:-100000}
readonly IMAGE=${STARTUP_IMAGE-neighd:startup-bench}
readonly MEMORY=${STARTUP_MEMORY:-512m}
readonly JAVA_OPTS=${STARTUP_JAVA_OPTS:--XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:MaxRAM=$MEMORY}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT WORK=$ROOT/target/startup-bench
readonly ND=$PREFIX-nd POD=$PREFIX-ct PORT=19797 OWN=10.77.0.1
readonly TOKEN=startup-bench-token

say() { printf 'startup-bench: %s\n' "$*" >&2; }
die() { printf 'startup-bench: %s\n' "$1" >&2; exit "${2:-1}"; }

[[ $PREFIX =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "NDLAB_PREFIX must be 2-10 lower-case letters/digits" 2
[[ $RUNS =~ ^[1-9][0-9]*$ && $ENTRIES =~ ^[1-9][0-9]*$ ]] || die "STARTUP_RUNS and STARTUP_ENTRIES: positive integers please" 2
eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
if (( ((0x$eff >> 12) & 1) == 0 || ((0x$eff >> 21) & 1) == 0 )); then
  die "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN, for the lab's namespaces); run with sudo" 77
fi
for t in ip java curl awk; do command -v "$t" >/dev/null || die "$t is not installed"; done
[[ -z $IMAGE ]] || command -v docker >/dev/null || die "docker is not installed (STARTUP_IMAGE= measures the jar only)"

# ------------------------------------------------------------------ clean-up

pid='' sandbox='' container='' lab_up=0
stop_neighd() {
  if [[ -n $container ]]; then docker rm -f "$container" >/dev/null 2>&1 || true; container=''; fi
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  pid=''
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_neighd
  if [[ -n $sandbox ]]; then docker rm -f "$sandbox" >/dev/null 2>&1 || true; fi
  if ((lab_up)); then NDLAB_PREFIX=$PREFIX bash "$ROOT/lab/ndlab.sh" down >/dev/null 2>&1 || true; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ build

cd "$ROOT"
mkdir -p "$WORK"
if [[ ${STARTUP_SKIP_BUILD:-0} != 1 ]]; then
  say "building the jar (./mvnw package -DskipTests) ..."
  ./mvnw -q -B -DskipTests package >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; die "build failed"; }
  if [[ -n $IMAGE ]]; then
    say "building the image $IMAGE ..."
    docker build -q -f docker/Dockerfile -t "$IMAGE" . >>"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log" >&2; die "docker build failed"; }
  fi
fi
jar=$(ls target/neighd-*.jar 2>/dev/null | grep -v -e '-plain\.jar$' | head -1)
[[ -n $jar ]] || die "no target/neighd-*.jar: run without STARTUP_SKIP_BUILD"

awk -v n="$ENTRIES" 'BEGIN { printf "["; for (i = 1; i <= n; i++) {
    printf "%s{\"dst\":\"10.%d.%d.%d\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:%02x:%02x:%02x:01\",\"state\":\"permanent\"}",
      (i > 1 ? "," : ""), 100 + int(i / 65536), int(i / 256) % 256, i % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }
    print "]" }' >"$WORK/entries.json"
printf 'net.ipv4.neigh.default.gc_thresh1 = %s\nnet.ipv4.neigh.default.gc_thresh2 = %s\nnet.ipv4.neigh.default.gc_thresh3 = %s\n' \
  $((ENTRIES * 2)) $((ENTRIES * 2)) $((ENTRIES * 2)) >"$WORK/sysctl.conf"

say "lab: NDLAB_PREFIX=$PREFIX lab/ndlab.sh up --peers 1"
lab_up=1
NDLAB_PREFIX=$PREFIX timeout 120 bash lab/ndlab.sh up --peers 1 >"$WORK/lab.log" 2>&1 || { cat "$WORK/lab.log" >&2; die "lab up failed"; }

# ------------------------------------------------------------------ helpers

args=("--neighd.interfaces[0].name=nd0" "--neighd.interfaces[0].addresses[0]=$OWN/24" "--server.port=$PORT")
hz=$(getconf CLK_TCK)
# seconds from process $1's start to the uptime $2
since_start() { awk -v hz="$hz" -v up="$2" '{ printf "%.3f", up - $22 / hz }' "/proc/$1/stat"; }
cpu_s() { awk -v hz="$hz" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# polls readiness from inside namespace $1 until it answers 200 (or 120 s pass): prints the uptime then
wait_ready() {
  ip netns exec "$1" bash -c 'for ((i = 0; i < 24000; i++)); do
      curl -sf -o /dev/null "http://127.0.0.1:$0/actuator/health/readiness" && { cut -d" " -f1 /proc/uptime; exit 0; }
      sleep 0.005; done; exit 1' "$PORT"
}
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
api() { # namespace method path [data-file]
  ip netns exec "$1" curl -sf -o /dev/null -X "$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${4:+--data-binary @"$4"} "http://127.0.0.1:$PORT$3"
}
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# one run: starts neighd with $1 (jar|image), prints "ready_s rss_idle_mb rss_100k_mb cpu_s"
run() {
  local ns
  if [[ $1 == jar ]]; then
    ns=$ND
    rm -f "$WORK/state.json"
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
    NEIGHD_API_TOKEN=$TOKEN ip netns exec "$ND" java $JAVA_OPTS -jar "$jar" "${args[@]}" \
      --neighd.state-file="$WORK/state.json" --neighd.sysctl-file="$WORK/sysctl.conf" >"$WORK/neighd-jar.log" 2>&1 &
    pid=$!
  else
    ns=$POD
    container=$(docker run -d --network "container:$sandbox" --memory "$MEMORY" --cap-drop ALL --cap-add NET_RAW --read-only \
      --tmpfs /tmp --tmpfs /var/lib/neighd:uid=10001,gid=10001 -e NEIGHD_API_TOKEN=$TOKEN \
      -v "$WORK/sysctl.conf:/etc/neighd/sysctl.conf:ro" "$IMAGE" "${args[@]}" \
      --neighd.sysctl-file=/etc/neighd/sysctl.conf)
    pid=$(docker inspect -f '{{.State.Pid}}' "$container")
  fi
  local up ready idle full cpu
  up=$(wait_ready "$ns") || { [[ $1 == jar ]] && tail -20 "$WORK/neighd-jar.log" >&2; die "neighd ($1) not ready after 120 s"; }
  cpu=$(cpu_s "$pid")
  ready=$(since_start "$pid" "$up")
  sleep 10
  idle=$(rss_mb "$pid")
  api "$ns" POST /api/v1/neighbours/batch "$WORK/entries.json" || die "batch insert failed ($1)"
  api "$ns" GET /api/v1/neighbours || die "GET /api/v1/neighbours failed ($1)"
  sleep 5
  full=$(rss_mb "$pid")
  stop_neighd
  echo "$ready $idle $full $cpu"
}

if [[ -n $IMAGE ]]; then
  # the pod sandbox, as ImageLabIT builds it: nd0 moves into a --network none container's namespace
  sandbox=$(docker run -d --network none --cap-drop ALL debian:bookworm-slim sleep infinity)
  ip netns attach "$POD" "$(docker inspect -f '{{.State.Pid}}' "$sandbox")"
fi

# ------------------------------------------------------------------ measure

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A res
for form in jar ${IMAGE:+image}; do
  if [[ $form == image ]]; then
    ip -n "$ND" link set nd0 netns "$POD"
    ip -n "$POD" link set nd0 arp off up
  fi
  : >"$WORK/$form.txt"
  for ((r = 1; r <= RUNS; r++)); do
    line=$(run "$form")
    echo "$line" >>"$WORK/$form.txt"
    say "  $form run $r: ready ${line%% *} s (CPU $(echo "$line" | cut -d' ' -f4) s), RSS idle / with $ENTRIES entries: $(echo "$line" | cut -d' ' -f2-3 | tr ' ' /) MB"
  done
  res[$form]="$(cut -d' ' -f1 "$WORK/$form.txt" | median) $(cut -d' ' -f2 "$WORK/$form.txt" | median) $(cut -d' ' -f3 "$WORK/$form.txt" | median) $(cut -d' ' -f4 "$WORK/$form.txt" | median)"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo
  echo "startup-bench $(date -u '+%Y-%m-%d %H:%M UTC'), lab $PREFIX, $RUNS runs per form (median; all: $WORK/*.txt)"
  echo "machine: $(nproc) CPU, kernel $(uname -r), $(java -version 2>&1 | head -1); load average $load_start (start) $load_end (end)"
  echo "jar: java $JAVA_OPTS -jar $(basename "$jar")${IMAGE:+; image: $IMAGE (its own JAVA_OPTS and entrypoint), --memory $MEMORY}"
  echo
  echo "| form | ready (process start to readiness UP) | CPU used by then | RSS idle | RSS with $ENTRIES entries |"
  echo "|---|---|---|---|---|"
  for form in jar ${IMAGE:+image}; do
    read -r a b c d <<<"${res[$form]}"
    echo "| $form | $a s | $d s | $b MB | $c MB |"
  done
} | tee "$WORK/report.md"
