#!/usr/bin/env bash
# e2e-bench: neighd end to end, beside the Linux kernel, in one run on the namespace lab.
#
#   sudo lab/e2e-bench.sh                           build, run every measurement, print the figures
#   sudo NDLAB_PREFIX=ndperf lab/e2e-bench.sh       beside another lab: `up` first removes a lab of the same prefix
#   sudo E2E_SKIP_BUILD=1 lab/e2e-bench.sh          reuse target/classes and the class path of an earlier run
#   sudo E2E_BUSY_POLL=1 E2E_ROWS=2 lab/e2e-bench.sh   latency only, neighd in busy-poll mode
#
# neighd runs with its shipped defaults (capture ring included); only E2E_CAPTURE_BUFFER and
# E2E_BUSY_POLL change them, and the report says so.
# Builds the lab (lab/ndlab.sh up --peers 4 --ref) and starts neighd from this checkout in its own
# JVM (the container image's JVM flags), attached to nd0 in <prefix>-nd and owning 10.77.0.1/24;
# the reference kernel <prefix>-ref owns the same address with the same MAC on an identical
# segment. Then, alternating the two sides round by round:
#   1 reply throughput  a peer floods ARP requests at 10.77.0.1 (lab/arpbench.c, AF_PACKET, as fast
#                       as it can) and counts the replies: replies/s and losses
#   2 reply latency     request -> reply RTT from a peer (lab/arpbench.c rtt, arping's method),
#                       median and p99 over thousands of probes; plus a few iputils arping probes
#   3 table dump        100,000 PERMANENT entries: GET /api/v1/neighbours against ip -j -s neigh show
#   4 bulk insert       the same 100,000 entries: POST /api/v1/neighbours/batch against ip -batch
#   5 resolution        253 live addresses (10.77.0.2-254, spread over the peers' kernels): neighd
#                       resolving them all (REST resolve, 64 at a time) against arp-scan of the same
#   6 scan of the /24   POST /api/v1/interfaces/nd0/scan of 10.77.0.0/24 at rate 0 (unlimited) against
#                       arp-scan --bandwidth=100M of the same 253 live addresses: time to the last
#                       answer (neighd: its at_us; arp-scan: its own "scanned in"), one probe each
#   7 scan of a /16     10.77.0.0/16 (253 live, 65,280 silent) at rate 0, one probe each: time to
#                       done, answers, and the neighbour table before and after (entries, table_fulls)
#   8 NS throughput     row 1's IPv6 twin: a peer floods Neighbor Solicitations for fd77::1 to its
#                       solicited-node group (lab/arpbench.c flood6) from E2E_SENDERS6 senders in
#                       turn, each with its source link-layer option (so each creates, then updates,
#                       its own nd_tbl entry), and counts the solicited NAs: replies/s and losses
#   9 NS latency        row 2's twin: NS -> solicited NA RTT from a peer (arpbench rtt6, every probe
#                       to the solicited-node group, as ndisc6 sends them), median and p99
# With row 8 or 9 the lab is built with --ipv6 (the reference kernel owns fd77::1/64 nodad, the
# peers fd77::1x) and neighd owns fd77::1/64 as its second address (after DAD); without them
# neither has IPv6, as before these rows existed.
# and prints one line per figure (Linux, neighd, neighd/Linux, target, met or missed), then the
# same as a Markdown table for docs/performance.md.
#
# Safety: frames are sent only inside the lab's own namespaces; nothing touches eth0 or any
# pre-existing interface; the kernel's neighbour table limits (gc_thresh*, global) are left alone
# (PERMANENT entries are exempt from them). Everything started here is stopped by its PID, and
# the lab taken down, on any exit (Ctrl-C included); the whole run is bounded by E2E_MAX_SECONDS.
#
# Env: NDLAB_PREFIX     lab name prefix (default ndlab)
#      E2E_ROUNDS       rounds per measurement, alternating sides (default 3)
#      E2E_ROWS         which measurements, e.g. "1 2" (default all: 1 2 3 4 5 6 7 8 9)
#      E2E_FLOOD        requests per flood (default 1000000: longer than any ring, a sustained rate)
#      E2E_PROBES       latency probes per side and round (default 1500, 1 ms apart)
#      E2E_SENDERS6     distinct NS senders in row 8 (default 256: below nd_tbl's gc_thresh2 of 512,
#                       which is global on the kernel's side, so no forced GC decides the figure)
#      E2E_ENTRIES      table size for 3 and 4 (default 100000)
#      E2E_JAVA_OPTS    neighd's JVM flags (default: the image's, see docker/Dockerfile)
#      E2E_CAPTURE_BUFFER  neighd's capture ring, neighd.interfaces[0].capture-buffer (default: not set)
#      E2E_BUSY_POLL    1: neighd.busy-poll=true (default: not set, i.e. false)
#      E2E_MAX_SECONDS  bound of the whole run (default 900)
#      E2E_SKIP_BUILD   1: do not run ./mvnw (target/classes and the classpath file must exist)
# Exit codes: 0 ran (targets met or not), 2 usage, 77 not enough privilege, 1 other failure.
set -euo pipefail

readonly PREFIX=${NDLAB_PREFIX:-ndlab}
readonly ROUNDS=${E2E_ROUNDS:-3} FLOOD=${E2E_FLOOD:-1000000} PROBES=${E2E_PROBES:-1500}
readonly ENTRIES=${E2E_ENTRIES:-100000} MAX_SECONDS=${E2E_MAX_SECONDS:-1500}
readonly CAPTURE_BUFFER=${E2E_CAPTURE_BUFFER:-} BUSY_POLL=${E2E_BUSY_POLL:-0} ROWS=" ${E2E_ROWS:-1 2 3 4 5 6 7 8 9} "
readonly SENDERS6=${E2E_SENDERS6:-256}
# a flood's own bound: the sender's rate on a busy machine can fall to 50,000/s
readonly FLOOD_SECONDS=$(( FLOOD / 25000 + 20 ))
readonly JAVA_OPTS=${E2E_JAVA_OPTS:--XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT WORK=$ROOT/target/e2e-bench
readonly ND=$PREFIX-nd REF=$PREFIX-ref
readonly OWN=10.77.0.1 OWN6=fd77::1 PEERS=4

say() { printf 'e2e-bench: %s\n' "$*" >&2; }
die() { printf 'e2e-bench: %s\n' "$1" >&2; exit "${2:-1}"; }
# shellcheck source=lab/bench-lib.sh
. "$ROOT/lab/bench-lib.sh"

[[ $PREFIX =~ ^[a-z][a-z0-9]{1,9}$ ]] || die "NDLAB_PREFIX must be 2-10 lower-case letters/digits" 2
for v in ROUNDS FLOOD PROBES ENTRIES MAX_SECONDS SENDERS6; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "E2E_${v}: a positive integer please, got: ${!v}" 2
done
((ENTRIES <= 1000000)) || die "E2E_ENTRIES: at most 1000000" 2
((SENDERS6 <= 65536)) || die "E2E_SENDERS6: at most 65536" 2
[[ $ROWS =~ ^[\ 1-9]+$ ]] || die "E2E_ROWS: row numbers 1-9, got: $ROWS" 2
row() { [[ $ROWS == *" $1 "* ]]; }
ipv6_rows() { row 8 || row 9; }

# ------------------------------------------------------------------ clean-up

neighd_pid='' watchdog_pid='' lab_up=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  bench_stop_neighd
  rm -f "$WORK/neighd.pid"
  if ((lab_up)); then
    NDLAB_PREFIX=$PREFIX bash "$ROOT/lab/ndlab.sh" down >/dev/null 2>&1 || say "lab down failed: run NDLAB_PREFIX=$PREFIX lab/ndlab.sh down"
  fi
  if [[ -n $watchdog_pid ]]; then
    kill "$watchdog_pid" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ checks

bench_need_root
bench_need_tools "iproute2 gcc default-jre-headless curl arp-scan iputils-arping gawk coreutils jq" \
  ip gcc java curl arp-scan arping awk timeout jq

mkdir -p "$WORK/run"
# a neighd left by a run that was killed outright: ours only if its command line says so
if [[ -r $WORK/neighd.pid ]]; then
  old=$(<"$WORK/neighd.pid")
  if [[ $old =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$old/cmdline" 2>/dev/null | grep -q "io.neighd.NeighdApplication.*netns=$ND"; then
    kill "$old" 2>/dev/null || true
  fi
  rm -f "$WORK/neighd.pid"
fi

bench_watchdog "$MAX_SECONDS" E2E_MAX_SECONDS

# ------------------------------------------------------------------ build

cd "$ROOT"
bench_build "${E2E_SKIP_BUILD:-0}" E2E_SKIP_BUILD

# ------------------------------------------------------------------ the lab

lab_args=(--peers "$PEERS" --ref)
ipv6_rows && lab_args+=(--ipv6)
say "lab: NDLAB_PREFIX=$PREFIX lab/ndlab.sh up ${lab_args[*]}"
lab_up=1
NDLAB_PREFIX=$PREFIX timeout 120 bash lab/ndlab.sh up "${lab_args[@]}" >"$WORK/lab.log" 2>&1 \
  || { cat "$WORK/lab.log" >&2; die "lab up failed"; }

# The /24 made live: every host address but .1 (the DUT's) answered by a peer's kernel, on both sides.
: >"$WORK/targets.txt"
for x in $(seq 2 254); do echo "10.77.0.$x" >>"$WORK/targets.txt"; done
for side in nd ref; do
  for ((p = 1; p <= PEERS; p++)); do
    awk -v p="$p" -v n="$PEERS" '{ split($1, a, "."); x = a[4];
         if (x % n + 1 == p && (x < 11 || x > 10 + n)) print "addr add " $1 "/24 dev eth0" }' \
      "$WORK/targets.txt" >"$WORK/run/addr.txt"
    ip -n "$PREFIX-$side-s0p$p" -batch "$WORK/run/addr.txt"
  done
done

# ------------------------------------------------------------------ neighd

bench_api 19797 19897
rm -f "$WORK/run/state.json"
bench_sysctl_file "$ENTRIES" "$WORK/run/sysctl.conf"
settings=()
[[ -n $CAPTURE_BUFFER ]] && settings+=("--neighd.interfaces[0].capture-buffer=$CAPTURE_BUFFER")
[[ $BUSY_POLL == 1 ]] && settings+=("--neighd.busy-poll=true")
readonly SETTINGS="${settings[*]:-shipped defaults}"
owned=("--neighd.interfaces[0].addresses[0]=$OWN/24")
ipv6_rows && owned+=("--neighd.interfaces[0].addresses[1]=$OWN6/64")
say "neighd: starting on port $port (nd0 in $ND, ${owned[*]##*=}; $SETTINGS; JVM: $JAVA_OPTS)"
NEIGHD_PID_FILE=$WORK/neighd.pid
bench_start_neighd \
  --neighd.state-file="$WORK/run/state.json" --neighd.sysctl-file="$WORK/run/sysctl.conf" \
  "--neighd.interfaces[0].name=nd0" "--neighd.interfaces[0].netns=$ND" "${owned[@]}" \
  "${settings[@]}"
if ipv6_rows; then # DAD first: a tentative address answers no NS
  for _ in $(seq 100); do
    flags=$(curl -s "$API/api/v1/interfaces/nd0" | jq -c --arg a "$OWN6" '[.addresses[] | select(.local == $a) | .flags[]]')
    [[ $flags == '[]' ]] && break
    sleep 0.1
  done
  [[ $flags == '[]' ]] || die "neighd's $OWN6 is not valid after 10 s: flags $flags"
fi

# ------------------------------------------------------------------ helpers

peer_ns() { echo "$PREFIX-$1-s0p$2"; }
peer_mac() { printf '02:4e:44:00:00:%02x' $((0x10 + $1)); }
peer_ip() { echo "10.77.0.$((10 + $1))"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.4f\n", b - a }'; }
# the median of the numbers on stdin, one a line
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# the p-th percentile (nearest rank) of the numbers on stdin
pct() { sort -g | awk -v p="$1" '{ v[NR] = $1 } END { i = int(p / 100 * NR + 0.5); if (i < 1) i = 1; print v[i] }'; }
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "inf"; else printf "%.2f", a / b }'; }
flush_neighd() { curl -sf -o /dev/null -X DELETE -H "$AUTH" "$API/api/v1/neighbours?state=all"; }
# neighd's CPU time so far (user + system, all threads), in seconds
neighd_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$neighd_pid/stat"; }
neighd_counters() { curl -s "$API/api/v1/interfaces/nd0" | grep -o '"capture":{[^}]*}' || true; }

flood() { # side [rate [count]] -> one arpbench flood line
  timeout $((FLOOD_SECONDS * 2 + 10)) ip netns exec "$(peer_ns "$1" 1)" "$WORK/arpbench" flood eth0 "$(peer_mac 1)" "$(peer_ip 1)" "$OWN" \
    "${3:-$FLOOD}" "$FLOOD_SECONDS" "${2:-0}" 1000
}
rtt() { # side count raw-file
  timeout 120 ip netns exec "$(peer_ns "$1" 2)" "$WORK/arpbench" rtt eth0 "$(peer_mac 2)" "$(peer_ip 2)" "$OWN" \
    "$2" 1000 1000 "$3" >/dev/null
}
nd_entries() { # side -> the entries of nd_tbl on nd0 (every state)
  if [[ $1 == ref ]]; then ip -n "$REF" -6 neigh show dev nd0 | wc -l
  else curl -s "$API/api/v1/stats" | jq '.ndisc_cache.entries'; fi
}
flood6() { # side [rate [count]] -> one arpbench flood6 line: SENDERS6 senders fd77::b:0+i, 02:4e:44:b0:00:00+i
  timeout $((FLOOD_SECONDS * 2 + 10)) ip netns exec "$(peer_ns "$1" 1)" "$WORK/arpbench" flood6 eth0 02:4e:44:b0:00:00 fd77::b:0 "$OWN6" \
    "${3:-$FLOOD}" "$FLOOD_SECONDS" "${2:-0}" 1000 "$SENDERS6"
}
rtt6() { # side count raw-file: from the peer's own MAC and address
  timeout 120 ip netns exec "$(peer_ns "$1" 2)" "$WORK/arpbench" rtt6 eth0 "$(peer_mac 2)" "fd77::$((10 + 2))" "$OWN6" \
    "$2" 1000 1000 "$3" >/dev/null
}
ip_batch_file() { # the same ENTRIES entries, as ip -batch lines and as the batch endpoint's JSON
  awk -v n="$ENTRIES" 'BEGIN { for (i = 1; i <= n; i++) {
      printf "neigh add 10.%d.%d.%d lladdr 02:bb:%02x:%02x:%02x:01 dev nd0 nud permanent\n",
        100 + int(i / 65536), int(i / 256) % 256, i % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 } }' >"$WORK/run/entries.ip"
  awk -v n="$ENTRIES" 'BEGIN { printf "["; for (i = 1; i <= n; i++) {
      printf "%s{\"dst\":\"10.%d.%d.%d\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:%02x:%02x:%02x:01\",\"state\":\"permanent\"}",
        (i > 1 ? "," : ""), 100 + int(i / 65536), int(i / 256) % 256, i % 256, int(i / 65536) % 256, int(i / 256) % 256, i % 256 }
      print "]" }' >"$WORK/run/entries.json"
}
resolve_config() {
  while read -r t; do
    printf 'url = "%s/api/v1/neighbours/nd0/%s/resolve?timeout_ms=5000"\noutput = "/dev/null"\n' "$API" "$t"
  done <"$WORK/targets.txt" >"$WORK/run/resolve.curl"
}
resolve_neighd() { # -> seconds; all must answer 200
  local t0 codes
  t0=$(now)
  codes=$(curl -s --parallel --parallel-immediate --parallel-max 64 -X POST -H "$AUTH" -w '%{http_code}\n' \
    -K "$WORK/run/resolve.curl" 2>/dev/null | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
  elapsed "$t0"
  [[ $codes == " $(wc -l <"$WORK/targets.txt") 200 " ]] || say "resolve: not all answered 200: $codes"
}
arpscan() { # extra arp-scan options -> seconds; all must respond
  local t0 out
  t0=$(now)
  out=$(timeout 60 ip netns exec "$REF" arp-scan -I nd0 "$@" -f "$WORK/targets.txt" 2>&1 | tail -1)
  elapsed "$t0"
  [[ $out == *"$(wc -l <"$WORK/targets.txt") responded"* ]] || say "arp-scan: $out"
}

scan_neighd() { # cidr -> the finished scan's JSON (rate 0, one probe each, arp-scan's first timeout)
  local loc s
  loc=$(curl -s -D - -o /dev/null -X POST -H "$AUTH" -H 'Content-Type: application/json' \
    -d "{\"cidr\":\"$1\",\"rate\":0,\"retries\":0,\"timeout_ms\":500}" "$API/api/v1/interfaces/nd0/scan" \
    | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  [[ -n $loc ]] || { say "scan of $1 not started"; return 1; }
  for _ in $(seq 600); do
    s=$(curl -s "$API$loc")
    [[ $(jq -r .state <<<"$s") == done ]] && { echo "$s"; return 0; }
    sleep 0.05
  done
  say "scan of $1 not done after 30 s"; return 1
}
table_line() { curl -s "$API/api/v1/stats" | jq -r '.arp_cache | "entries=\(.entries) table_fulls=\(.table_fulls) forced_gc_runs=\(.forced_gc_runs)"'; }
# arp-scan's own measure: from its first send to its end ("N hosts scanned in S seconds"), one probe each
arpscan_own() {
  timeout 60 ip netns exec "$REF" arp-scan -I nd0 --retry=1 --bandwidth=100M -f "$WORK/targets.txt" 2>&1 \
    | sed -n 's/.*hosts scanned in \([0-9.]*\) seconds.*responded/\1/p'
}
# the same over a whole prefix, as neighd's scan takes it (network and broadcast included): -> seconds
arpscan_prefix() {
  timeout 120 ip netns exec "$REF" arp-scan -I nd0 --retry=1 --bandwidth=100M "$1" 2>&1 \
    | sed -n 's/.*hosts scanned in \([0-9.]*\) seconds.*responded/\1/p'
}

ip_batch_file
resolve_config

# ------------------------------------------------------------------ warm-up (neighd's JIT; the kernel's caches)

say "warming up (untimed: a flood, probes, a batch, dumps, resolutions on each side, as the rows need) ..."
if row 1 || row 2; then
  flood nd 0 200000 >/dev/null; flood ref 0 200000 >/dev/null
  rtt nd 500 /dev/null; rtt ref 500 /dev/null
fi
if ipv6_rows; then
  flood6 nd 0 200000 >/dev/null; flood6 ref 0 200000 >/dev/null
  rtt6 nd 500 /dev/null; rtt6 ref 500 /dev/null
fi
if row 3 || row 4; then
  curl -sf -o /dev/null -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$WORK/run/entries.json" "$API/api/v1/neighbours/batch"
  curl -sf -o /dev/null "$API/api/v1/neighbours"; curl -sf -o /dev/null "$API/api/v1/neighbours"
  flush_neighd
  ip -n "$REF" -batch "$WORK/run/entries.ip"; ip -n "$REF" -j -s neigh show >/dev/null; ip -n "$REF" neigh flush nud permanent
fi
if row 5; then
  for _ in 1 2 3; do resolve_neighd >/dev/null; flush_neighd; done
  arpscan >/dev/null
fi
if row 6 || row 7; then
  for _ in 1 2 3; do scan_neighd 10.77.0.0/24 >/dev/null; flush_neighd; done
  arpscan_own >/dev/null
fi

host_load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------ 1 reply throughput

declare -A rps sps ans lost p50 p99 nrtt arping cpu_ref cpu_snd cpu_nd r1 m1 paced rps_paced ans_paced r2 r2p m2
# Row 1 (fam "", ARP with flood) or its twin row 8 (fam 6, NS with flood6): ROUNDS floods per side
# at full rate, then ROUNDS at the kernel's side's rate; results in the arrays above, keyed by side
# and fam (rps[nd6]) or by fam (r1[6]).
flood_rows() {
  local fam=$1 k=${1:-4} r side c0 line before after f
  : >"$WORK/run/flood$fam.nd"; : >"$WORK/run/flood$fam.ref"
  before=$(neighd_counters)
  for ((r = 1; r <= ROUNDS; r++)); do
    for side in ref nd; do
      c0=$(neighd_cpu)
      line=$("flood$fam" "$side")
      [[ $side == nd ]] && line="$line neighd_cpu_s=$(awk -v a="$c0" -v b="$(neighd_cpu)" 'BEGIN { printf "%.3f", b - a }')"
      echo "$line" >>"$WORK/run/flood$fam.$side"
      say "  round $r $side: $line"
      [[ -z $fam ]] || say "    nd_tbl on nd0 now: $(nd_entries "$side") entries"
    done
  done
  after=$(neighd_counters)
  say "  neighd capture counters before: $before after: $after"
  for side in ref nd; do
    f=$WORK/run/flood$fam.$side
    rps[$side$fam]=$(field reply_pps <"$f" | median)
    sps[$side$fam]=$(field send_pps <"$f" | median)
    ans[$side$fam]=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
                      END { printf "%.3f", 100 * v["replies"] / v["sent"] }' "$f")
    lost[$side$fam]=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } } END { print v["lost"] + 0 }' "$f")
  done
  # CPU per request: the sender's (on Linux's side it includes the kernel's replies, done in its
  # sends' softirq) and neighd's process (all threads)
  cpu_ref[$k]=$(cpu_us cpu_s "$WORK/run/flood$fam.ref"); cpu_snd[$k]=$(cpu_us cpu_s "$WORK/run/flood$fam.nd")
  cpu_nd[$k]=$(cpu_us neighd_cpu_s "$WORK/run/flood$fam.nd")
  r1[$k]=$(ratio "${rps[nd$fam]}" "${rps[ref$fam]}")
  # issue 12: every request answered (as the kernel answers every one), at a reply rate >= the kernel's
  m1[$k]=$(awk -v r="${r1[$k]}" -v l="${lost[nd$fam]}" 'BEGIN { print (r >= 1.0 && l == 0) ? "met" : "missed" }')
  # The same flood at the rate the kernel's side ran at: there the sender's own CPU also carried the
  # kernel's replies (softirq in its send calls), so it sent slower than at neighd's side.
  paced[$k]=$(awk -v v="${sps[ref$fam]}" 'BEGIN { printf "%d", v }')
  say "$([[ -z $fam ]] && echo 1 || echo 8)b the same, paced at the kernel's side's rate, ${paced[$k]} requests/s ..."
  : >"$WORK/run/flood$fam.paced"
  for ((r = 1; r <= ROUNDS; r++)); do
    line=$("flood$fam" nd "${paced[$k]}")
    echo "$line" >>"$WORK/run/flood$fam.paced"
    say "  round $r nd: $line"
  done
  rps_paced[$k]=$(field reply_pps <"$WORK/run/flood$fam.paced" | median)
  ans_paced[$k]=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
                   END { printf "%.1f", 100 * v["replies"] / v["sent"] }' "$WORK/run/flood$fam.paced")
}
cpu_us() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] += kv[2] } }
                         END { printf "%.2f", 1e6 * v[k] / v["sent"] }' "$2"; }

# Row 2 (fam "", ARP with rtt) or its twin row 9 (fam 6, NS with rtt6): ROUNDS x PROBES probes per side.
rtt_rows() {
  local fam=$1 k=${1:-4} r side
  : >"$WORK/run/rtt$fam.nd"; : >"$WORK/run/rtt$fam.ref"
  for ((r = 1; r <= ROUNDS; r++)); do
    for side in ref nd; do "rtt$fam" "$side" "$PROBES" "$WORK/run/rtt$fam.$side"; done
  done
  for side in ref nd; do
    p50[$side$fam]=$(median <"$WORK/run/rtt$fam.$side")
    p99[$side$fam]=$(pct 99 <"$WORK/run/rtt$fam.$side")
    nrtt[$side$fam]=$(wc -l <"$WORK/run/rtt$fam.$side")
  done
  r2[$k]=$(ratio "${p50[nd$fam]}" "${p50[ref$fam]}")
  r2p[$k]=$(ratio "${p99[nd$fam]}" "${p99[ref$fam]}")
  # issue 12: median <= 2.0x and p99 <= 2.5x the kernel's with the defaults; median <= 1.3x busy-polling
  if [[ $BUSY_POLL == 1 ]]; then
    t2="median <= 1.3"
    m2[$k]=$(awk -v r="${r2[$k]}" 'BEGIN { print r <= 1.3 ? "met" : "missed" }')
  else
    t2="median <= 2.0, p99 <= 2.5"
    m2[$k]=$(awk -v r="${r2[$k]}" -v p="${r2p[$k]}" 'BEGIN { print (r <= 2.0 && p <= 2.5) ? "met" : "missed" }')
  fi
}

if row 1; then
say "1 reply throughput: $ROUNDS x $FLOOD requests per side at full rate ..."
flood_rows ""
fi

# ------------------------------------------------------------------ 2 reply latency

if row 2; then
say "2 reply latency: $ROUNDS x $PROBES probes per side, 1 ms apart ..."
rtt_rows ""
say "  iputils arping, 10 probes 1 s apart, both sides at once ..."
timeout 30 ip netns exec "$(peer_ns nd 3)" arping -I eth0 -c 10 -w 15 "$OWN" >"$WORK/run/arping.nd" 2>&1 &
ap=$!
timeout 30 ip netns exec "$(peer_ns ref 3)" arping -I eth0 -c 10 -w 15 "$OWN" >"$WORK/run/arping.ref" 2>&1 || true
wait "$ap" || true
for side in ref nd; do
  arping[$side]=$(sed -n 's/.* \([0-9.]*\)ms$/\1/p' "$WORK/run/arping.$side" | awk '{ print $1 * 1000 }' | median)
done
fi

# ------------------------------------------------------------------ 8 and 9: the IPv6 twins of 1 and 2

if row 8; then
say "8 NS throughput: $ROUNDS x $FLOOD solicitations for $OWN6 per side at full rate, from $SENDERS6 senders ..."
flood_rows 6
fi
if row 9; then
say "9 NS latency: $ROUNDS x $PROBES solicitations per side, 1 ms apart ..."
rtt_rows 6
fi

# ------------------------------------------------------------------ 5 resolution of a /24 of live peers

ntargets=$(wc -l <"$WORK/targets.txt")
if row 5; then
say "5 resolution: $ntargets live addresses, $ROUNDS rounds per side ..."
: >"$WORK/run/res.nd"; : >"$WORK/run/res.ref"; : >"$WORK/run/res.fast"
for ((r = 1; r <= ROUNDS; r++)); do
  arpscan >>"$WORK/run/res.ref"
  flush_neighd
  resolve_neighd >>"$WORK/run/res.nd"
  arpscan --bandwidth=100M >>"$WORK/run/res.fast"
done
res_ref=$(median <"$WORK/run/res.ref"); res_nd=$(median <"$WORK/run/res.nd"); res_fast=$(median <"$WORK/run/res.fast")
r5=$(ratio "$res_nd" "$res_ref"); r5f=$(ratio "$res_nd" "$res_fast")
m5=$(awk -v r="$r5" 'BEGIN { print r <= 1.0 ? "met" : "missed" }')
flush_neighd
fi

# ------------------------------------------------------------------ 6 scan of the /24, 7 scan of a /16

if row 6; then
say "6 scan of 10.77.0.0/24 at rate 0 against arp-scan --bandwidth=100M, $ROUNDS rounds per side ..."
: >"$WORK/run/scan.nd"; : >"$WORK/run/scan.ref"; : >"$WORK/run/scan.done"; : >"$WORK/run/scan.refdone"
for ((r = 1; r <= ROUNDS; r++)); do
  arpscan_own >>"$WORK/run/scan.ref"
  arpscan_prefix 10.77.0.0/24 >>"$WORK/run/scan.refdone"
  flush_neighd
  s=$(scan_neighd 10.77.0.0/24) || continue
  jq -r '[.replies[] | select(.answer == 1) | .at_us] | max / 1e6' <<<"$s" >>"$WORK/run/scan.nd"
  jq -r '.elapsed_ms / 1e3' <<<"$s" >>"$WORK/run/scan.done"
  say "  round $r: arp-scan $(tail -1 "$WORK/run/scan.ref") s (whole /24: $(tail -1 "$WORK/run/scan.refdone") s); neighd $(jq -c '{responders, duplicates, timed_out, probes_sent, elapsed_ms}' <<<"$s"), last answer at $(tail -1 "$WORK/run/scan.nd") s"
done
scan_ref=$(median <"$WORK/run/scan.ref"); scan_nd=$(median <"$WORK/run/scan.nd"); scan_done=$(median <"$WORK/run/scan.done")
scan_refdone=$(median <"$WORK/run/scan.refdone")
r6=$(ratio "$scan_nd" "$scan_ref"); r6b=$(ratio "$scan_done" "$scan_refdone")
m6=$(awk -v r="$r6" 'BEGIN { print r <= 1.0 ? "met" : "missed" }')
m6b=$(awk -v r="$r6b" 'BEGIN { print r <= 1.0 ? "met" : "missed" }')
flush_neighd
fi

if row 7; then
say "7 scan of 10.77.0.0/16 (253 live, 65,280 silent) at rate 0, one probe each ..."
flush_neighd
t7_ref=$(arpscan_prefix 10.77.0.0/16)
t7_before=$(table_line)
t0=$(now)
s16=$(scan_neighd 10.77.0.0/16) || s16='{}'
wall16=$(elapsed "$t0")
t7_after=$(table_line)
scan16=$(jq -c '{hosts, skipped, probes_sent, responders, duplicates, timed_out, elapsed_ms}' <<<"$s16")
say "  $scan16; wall $wall16 s; table before: $t7_before; after: $t7_after"
flush_neighd
fi

# ------------------------------------------------------------------ 4 bulk insert and 3 table dump

if row 3 || row 4; then
say "4 bulk insert and 3 table dump: $ENTRIES PERMANENT entries, $ROUNDS rounds per side ..."
: >"$WORK/run/ins.nd"; : >"$WORK/run/ins.ref"; : >"$WORK/run/dump.nd"; : >"$WORK/run/dump.ref"
state_bytes=0
for ((r = 1; r <= ROUNDS; r++)); do
  t0=$(now); ip -n "$REF" -batch "$WORK/run/entries.ip"; elapsed "$t0" >>"$WORK/run/ins.ref"
  for _ in 1 2; do t0=$(now); ip -n "$REF" -j -s neigh show >/dev/null; elapsed "$t0" >>"$WORK/run/dump.ref"; done
  n=$(ip -n "$REF" neigh show nud permanent | wc -l)
  ((n == ENTRIES)) || say "  kernel holds $n PERMANENT entries, not $ENTRIES"
  ip -n "$REF" neigh flush nud permanent

  t0=$(now)
  out=$(curl -s -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$WORK/run/entries.json" "$API/api/v1/neighbours/batch")
  elapsed "$t0" >>"$WORK/run/ins.nd"
  [[ $out == "{\"added\":$ENTRIES,\"refused\":[]}" ]] || say "  batch answered: ${out:0:200}"
  state_bytes=$(stat -c %s "$WORK/run/state.json" 2>/dev/null || echo 0)
  for _ in 1 2; do t0=$(now); curl -sf -o /dev/null "$API/api/v1/neighbours"; elapsed "$t0" >>"$WORK/run/dump.nd"; done
  n=$(curl -s "$API/api/v1/neighbours" | grep -o '"PERMANENT"' | wc -l)
  ((n == ENTRIES)) || say "  neighd listed $n PERMANENT entries, not $ENTRIES"
  flush_neighd
done
ins_ref=$(median <"$WORK/run/ins.ref"); ins_nd=$(median <"$WORK/run/ins.nd")
dump_ref=$(median <"$WORK/run/dump.ref"); dump_nd=$(median <"$WORK/run/dump.nd")
r3=$(ratio "$dump_nd" "$dump_ref"); r4=$(ratio "$ins_nd" "$ins_ref")
m3=$(awk -v r="$r3" 'BEGIN { print r <= 1.0 ? "met" : "missed" }')
m4=$(awk -v r="$r4" 'BEGIN { print r <= 1.0 ? "met" : "missed" }')
fi

# ------------------------------------------------------------------ report

host_load_end=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
jv=$(java -version 2>&1 | head -1)
fmt() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.0f ms", v * 1000 }'; }
us() { awk -v v="$1" 'BEGIN { printf "%.0f us", v }'; }
flood_lines() { # row, what it measures, fam ("" or 6, as flood_rows)
  local n=$1 what=$2 fam=$3 k=${3:-4}
  echo "| $n | $what at the sender's full rate, median of $ROUNDS x $FLOOD requests | $(fmt "${rps[ref$fam]}") replies/s, ${ans[ref$fam]}% answered (sent $(fmt "${sps[ref$fam]}")/s) | $(fmt "${rps[nd$fam]}") replies/s, ${ans[nd$fam]}% answered (sent $(fmt "${sps[nd$fam]}")/s) | ${r1[$k]} | >= 1.0, and every request answered (lost: Linux ${lost[ref$fam]}, neighd ${lost[nd$fam]}) | ${m1[$k]} |"
  echo "| ${n}c | CPU per request in those floods: the sender's (with Linux, the kernel's replies are in it) / neighd's | sender ${cpu_ref[$k]} us | sender ${cpu_snd[$k]} us + neighd ${cpu_nd[$k]} us | - | - | - |"
  echo "| ${n}b | the same flood at the kernel's side's rate (${paced[$k]}/s) | $(fmt "${rps[ref$fam]}") replies/s, ${ans[ref$fam]}% answered | $(fmt "${rps_paced[$k]}") replies/s, ${ans_paced[$k]}% answered | $(ratio "${rps_paced[$k]}" "${rps[ref$fam]}") | - | - |"
}
rtt_line() { # row, what it measures, fam
  local n=$1 what=$2 fam=$3 k=${3:-4}
  echo "| $n | $what, ${nrtt[ref$fam]} / ${nrtt[nd$fam]} probes | median $(us "${p50[ref$fam]}"), p99 $(us "${p99[ref$fam]}") | median $(us "${p50[nd$fam]}"), p99 $(us "${p99[nd$fam]}") | ${r2[$k]} (median), ${r2p[$k]} (p99) | $t2 | ${m2[$k]} |"
}

{
  echo
  echo "e2e-bench $(date -u '+%Y-%m-%d %H:%M UTC'): neighd beside Linux, lab $PREFIX"
  echo "machine: $(nproc) CPU ($cpu), kernel $(uname -r), $jv; load average $host_load_start (start) $host_load_end (end)"
  echo "neighd JVM: $JAVA_OPTS; neighd settings: $SETTINGS"
  echo
  echo "| # | measure | Linux | neighd | neighd/Linux | target | result |"
  echo "|---|---|---|---|---|---|---|"
  if row 1; then flood_lines 1 "reply throughput" ""; fi
  if row 2; then
  rtt_line 2 "reply latency (request to reply, at a peer)" ""
  echo "| 2b | iputils arping, 10 probes 1 s apart (median) | $(us "${arping[ref]}") | $(us "${arping[nd]}") | $(ratio "${arping[nd]}" "${arping[ref]}") | - | - |"
  fi
  if row 8; then flood_lines 8 "IPv6: NS throughput (NS for $OWN6 to its solicited-node group from $SENDERS6 senders in turn, each with its source link-layer option; solicited NAs counted)" 6; fi
  if row 9; then rtt_line 9 "IPv6: NS latency (NS to the solicited-node group to solicited NA, at a peer)" 6; fi
  if row 3; then
  echo "| 3 | table dump, $ENTRIES entries: ip -j -s neigh show / GET /api/v1/neighbours (median of $((2 * ROUNDS))) | $(ms "$dump_ref") | $(ms "$dump_nd") | $r3 | <= 1.0 | $m3 |"
  fi
  if row 4; then
  echo "| 4 | bulk insert, $ENTRIES PERMANENT: ip -batch / POST /api/v1/neighbours/batch incl. state file ($((state_bytes / 1048576)) MiB) (median of $ROUNDS) | $(ms "$ins_ref") | $(ms "$ins_nd") | $r4 | <= 1.0 | $m4 |"
  fi
  if row 5; then
  echo "| 5 | resolution of $ntargets live peers: arp-scan (defaults) / REST resolve, 64 at a time (median of $ROUNDS) | $(ms "$res_ref") | $(ms "$res_nd") | $r5 | <= 1.0 | $m5 |"
  echo "| 5b | the same against arp-scan --bandwidth=100M (unthrottled) | $(ms "$res_fast") | $(ms "$res_nd") | $r5f | - | - |"
  fi
  if row 6; then
  echo "| 6 | scan of the 253 live addresses of 10.77.0.0/24, one probe each, to the last answer: arp-scan --bandwidth=100M -f (its own 'scanned in') / POST scan of the /24 at rate 0 (at_us of the last answer) (median of $ROUNDS) | $(ms "$scan_ref") | $(ms "$scan_nd") | $r6 | <= 1.0 | $m6 |"
  echo "| 6b | the whole /24 to its end (the silent network address waits 500 ms on both): arp-scan --bandwidth=100M --retry=1 10.77.0.0/24 / the scan's elapsed_ms | $(ms "$scan_refdone") | $(ms "$scan_done") | $r6b | <= 1.0 | $m6b |"
  fi
  if row 7; then
  echo "| 7 | scan of 10.77.0.0/16, 253 live and 65,280 silent, rate 0, one probe each (Linux: arp-scan --bandwidth=100M --retry=1, which keeps no table) | $(ms "$t7_ref") | $scan16, wall $(ms "$wall16"); table before $t7_before, after $t7_after | - | table grows by the answers only, no table_fulls | - |"
  fi
  echo
  echo "raw figures: $WORK/run (flood.*, rtt.*, flood6.*, rtt6.*, res.*, ins.*, dump.*); neighd log: $WORK/neighd.log"
} | tee "$WORK/report.md"
