# bench-lib: what lab/e2e-bench.sh and lab/dump-bench.sh share, sourced by both: the privilege
# and tool checks, the run's time bound, building neighd and lab/arpbench.c, and neighd started
# from this checkout (the image's JVM flags) and stopped by its PID.
#
# The caller defines say and die (messages carry its own name), and ROOT, WORK and JAVA_OPTS.
# shellcheck shell=bash

# needs CAP_SYS_ADMIN and CAP_NET_ADMIN, for the lab's namespaces
bench_need_root() {
  local eff
  eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
  if (( ((0x$eff >> 12) & 1) == 0 || ((0x$eff >> 21) & 1) == 0 )); then
    die "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN, for the lab's namespaces); run with sudo" 77
  fi
}

bench_need_tools() { # "the apt-get install line" tool...
  local hint=$1 t
  shift
  for t; do
    command -v "$t" >/dev/null || die "$t is not installed (apt-get install $hint)"
  done
}

# The bound: the watchdog ends the calling script (and with it, through its EXIT trap, everything
# it started) after $1 seconds; $2 names the setting in the message. Sets watchdog_pid.
bench_watchdog() {
  (
    trap 'kill "$sp" 2>/dev/null; exit 0' TERM
    sleep "$1" & sp=$!
    wait "$sp"
    say "over $2=$1: stopping"
    kill -TERM $$
  ) &
  watchdog_pid=$!
}

# target/classes, the runtime class path in $WORK/classpath and $WORK/arpbench. $1: 1 to reuse an
# earlier build, $2 the setting that says so; the rest are ./mvnw's first flags (e.g. -o).
bench_build() {
  local skip=$1 setting=$2
  shift 2
  if [[ $skip != 1 ]]; then
    say "building neighd (./mvnw compile) ..."
    timeout 600 ./mvnw "$@" -q -B -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=runtime >"$WORK/build.log" 2>&1 \
      || { tail -30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
  fi
  [[ -d target/classes && -r $WORK/classpath ]] || die "no target/classes or $WORK/classpath: run without $setting"
  gcc -O2 -Wall -o "$WORK/arpbench" lab/arpbench.c || die "cannot compile lab/arpbench.c"
}

# A free local port from $1 to $2, a fresh API token, and API and AUTH for curl.
bench_api() {
  local p
  port=
  for p in $(seq "$1" "$2"); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
  [[ -n $port ]] || die "no free port in $1-$2"
  token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  readonly API=http://127.0.0.1:$port AUTH="Authorization: Bearer $token"
}

# neighd's sysctl file: the IPv4 table thresholds room for $1 entries, in file $2.
bench_sysctl_file() {
  printf 'net.ipv4.neigh.default.gc_thresh1 = %s\nnet.ipv4.neigh.default.gc_thresh2 = %s\nnet.ipv4.neigh.default.gc_thresh3 = %s\n' \
    $(($1 * 2)) $(($1 * 2)) $(($1 * 2)) >"$2"
}

# neighd on $port with the token of bench_api, the arguments given between its server and its
# logging settings; log in $WORK/neighd.log. Sets neighd_pid and returns when it is ready.
bench_start_neighd() {
  # the token through the environment (application.yaml reads NEIGHD_API_TOKEN), not the command line
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of flags
  NEIGHD_API_TOKEN=$token java $JAVA_OPTS -cp "target/classes:$(<"$WORK/classpath")" io.neighd.NeighdApplication \
    --server.port="$port" --server.address=127.0.0.1 "$@" \
    --logging.level.root=WARN --logging.level.io.neighd=INFO >"$WORK/neighd.log" 2>&1 &
  neighd_pid=$!
  [[ -z ${NEIGHD_PID_FILE:-} ]] || echo "$neighd_pid" >"$NEIGHD_PID_FILE"
  for _ in $(seq 240); do
    curl -sf "$API/actuator/health/readiness" >/dev/null 2>&1 && break
    kill -0 "$neighd_pid" 2>/dev/null || { tail -20 "$WORK/neighd.log" >&2; die "neighd exited (log: $WORK/neighd.log)"; }
    sleep 0.5
  done
  curl -sf "$API/actuator/health/readiness" >/dev/null || die "neighd not ready after 120 s (log: $WORK/neighd.log)"
}

# SIGTERM to neighd, 10 s to stop, then SIGKILL.
bench_stop_neighd() {
  if [[ -n $neighd_pid ]] && kill -0 "$neighd_pid" 2>/dev/null; then
    kill "$neighd_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$neighd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$neighd_pid" 2>/dev/null || true
  fi
}
