#!/usr/bin/env bash
# ndlab: an isolated ARP segment lab made of network namespaces, veths and bridges.
# One implementation for the integration tests, conformance runs, benchmarks and the demo.
#
#   lab/ndlab.sh up     [--segments S] [--peers P] [--ref] [--gw] [--ipv6]   build the lab (cleans leftovers first)
#   lab/ndlab.sh down                                               remove everything the lab created
#   lab/ndlab.sh status                                             namespaces, devices, addresses, neighbours
#   lab/ndlab.sh run    [same options as up]                        up + peer traffic + neighd (lab profile) + down
#
# Topology per side (nd always, ref with --ref) and segment k = 0..S-1:
#   ndlab-sw               one bridge per side and segment, br-nd-k / br-ref-k (no IP, STP off)
#   ndlab-nd   : nd<k>     neighd's port: MAC 02:4e:44:00:0k:01, ARP off, no IPv4, no IPv6.
#                          neighd (root namespace) opens its capture here through setns.
#   ndlab-ref  : nd<k>     the reference kernel: same MAC, 10.(77+k).0.1/24, ARP on
#   ndlab-<side>-s<k>p<i>  peer i = 1..P: eth0, MAC 02:4e:44:0k:00:(10+i hex), 10.(77+k).0.(10+i)/24,
#                          default via 10.(77+k).0.1
#   ndlab-<side>-s<k>gw    with --gw: 10.(77+k).0.254/24, MAC 02:4e:44:0k:00:fe, forwarding on,
#                          device far0 (dummy, or a veth where the kernel lacks dummy) with 10.(88+k).0.1/24;
#                          ndlab-ref routes 10.(88+k).0.0/24 through it
# Both sides use the same addresses and MACs: their bridges are separate, so frames compare.
# IPv6 is disabled in every namespace before any device exists: no ND, MLD or DAD noise. With --ipv6
# the reference kernel, the peers and the gateways get it back: fd(77+k)::1/64 on the reference's
# nd<k>, fd(77+k)::(10+i)/64 on peer i, fd(77+k)::fe/64 on the gateway (all nodad, so usable at once;
# the link-local addresses the kernel makes still run DAD; no router solicitations). neighd's namespace keeps IPv6 off: its
# kernel owns no IPv6 address there and answers nothing, while the memberships neighd joins through
# its IPv6 socket still program the port's multicast filter (ip -6 maddr shows them).
# Everything is named ndlab*, created only inside ndlab namespaces, and traffic stays on
# the lab's own bridges; nothing in the root namespace is touched.
#
# Env: NDLAB_RUN_SECONDS  bound of the `run` traffic (default 3600)
#      NDLAB_PREFIX       name prefix instead of ndlab (namespaces <prefix>-nd, <prefix>-sw, ...)
#      NDLAB_PORT         the port `run` serves neighd's API on (default 9797)
# Exit codes: 0 ok, 2 usage, 77 not enough privilege, 1 other failure.
set -euo pipefail

# NDLAB_PREFIX lets two labs coexist (e.g. two developers' test runs); default ndlab.
readonly PREFIX=${NDLAB_PREFIX:-ndlab}
[[ $PREFIX =~ ^[a-z][a-z0-9]{1,9}$ ]] || { echo "ndlab: NDLAB_PREFIX must be 2-10 lower-case letters/digits" >&2; exit 2; }
readonly SW=$PREFIX-sw ND=$PREFIX-nd REF=$PREFIX-ref
readonly RUN_DIR=/run/$PREFIX
readonly MAX_SEGMENTS=4 MAX_PEERS=50

segments=1 peers=3 with_ref=0 with_gw=0 with_ipv6=0

say() { printf 'ndlab: %s\n' "$*"; }
die() { printf 'ndlab: %s\n' "$1" >&2; exit "${2:-1}"; }

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
}

# Capability bits in CapEff: CAP_NET_ADMIN = 12, CAP_SYS_ADMIN = 21.
require_root() {
  local eff
  eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null || true)
  if [[ -z $eff ]] || (( ((0x$eff >> 12) & 1) == 0 || ((0x$eff >> 21) & 1) == 0 )); then
    die "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to create network namespaces; run with sudo" 77
  fi
  command -v ip >/dev/null || die "ip (iproute2) is not installed"
}

parse_options() {
  while (($#)); do
    case $1 in
      --segments) [[ $# -ge 2 ]] || die "--segments needs a value" 2; segments=$2; shift ;;
      --segments=*) segments=${1#*=} ;;
      --peers) [[ $# -ge 2 ]] || die "--peers needs a value" 2; peers=$2; shift ;;
      --peers=*) peers=${1#*=} ;;
      --ref) with_ref=1 ;;
      --gw) with_gw=1 ;;
      --ipv6) with_ipv6=1 ;;
      *) die "unknown option: $1 (see: $0 help)" 2 ;;
    esac
    shift
  done
  if ! [[ $segments =~ ^[0-9]+$ ]] || ((segments < 1 || segments > MAX_SEGMENTS)); then
    die "--segments must be 1..$MAX_SEGMENTS, got: $segments" 2
  fi
  if ! [[ $peers =~ ^[0-9]+$ ]] || ((peers < 1 || peers > MAX_PEERS)); then
    die "--peers must be 1..$MAX_PEERS, got: $peers" 2
  fi
}

sides() { echo nd; ((with_ref)) && echo ref; return 0; }
lab_namespaces() { ip netns list 2>/dev/null | awk '{print $1}' | grep "^${PREFIX}-" | sort -V || true; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

port_mac() { printf '02:4e:44:00:%02x:01' "$1"; }
peer_mac() { printf '02:4e:44:%02x:00:%02x' "$1" $((0x10 + $2)); }
gw_mac() { printf '02:4e:44:%02x:00:fe' "$1"; }
subnet() { echo "10.$((77 + $1)).0"; }
subnet6() { echo "fd$((77 + $1))::"; }

# A namespace with loopback up and IPv6 off (set on `default` too, so devices created later inherit it).
make_ns() {
  local ns=$1
  ip netns add "$ns"
  in_ns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
}

# IPv6 back on in a namespace (--ipv6), for devices created from now on; without router
# solicitations, which kernels otherwise repeat with backoff for an hour: noise on the wire that
# reaches a DUT with forwarding on at a different moment on each side.
enable_ipv6() {
  in_ns "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
    net.ipv6.conf.default.router_solicitations=0
}

# veth from the switch namespace into $ns, named $dev there, enslaved to $bridge.
plug() {
  local ns=$1 dev=$2 swport=$3 bridge=$4
  ip -n "$SW" link add "$swport" type veth peer name "$dev" netns "$ns"
  ip -n "$SW" link set "$swport" master "$bridge" up
}

stop_traffic() {
  local f pid
  [[ -d $RUN_DIR ]] || return 0
  for f in "$RUN_DIR"/*.pid; do
    [[ -e $f ]] || continue
    pid=$(<"$f")
    # Only a process we started: its command line still names the lab's traffic tools.
    if [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] \
       && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq '(^| |/)(ping|arping|bash -c .*ndlab-traffic)'; then
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
}

cmd_down() {
  local ns pid left
  stop_traffic
  for ns in $(lab_namespaces); do
    # A process still inside keeps the namespace (and its devices) alive after `ip netns del`.
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$RUN_DIR"
  left=$(lab_namespaces | tr '\n' ' ')
  [[ -z $left ]] || die "could not remove: $left"
  say "down: no ndlab namespaces left"
}

build_side() {
  local side=$1 k=$2 net bridge ns i port_ns
  net=$(subnet "$k")
  bridge=br-$side-$k
  ip -n "$SW" link add "$bridge" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  ip -n "$SW" link set "$bridge" up

  if [[ $side == nd ]]; then port_ns=$ND; else port_ns=$REF; fi
  plug "$port_ns" "nd$k" "v-$side$k" "$bridge"
  if [[ $side == nd ]]; then
    # The kernel stays out of the way: no ARP, no IPv4 address; neighd owns 10.(77+k).0.1.
    ip -n "$ND" link set "nd$k" address "$(port_mac "$k")" arp off up
  else
    ip -n "$REF" link set "nd$k" address "$(port_mac "$k")" up
    ip -n "$REF" addr add "$net.1/24" dev "nd$k"
    ((with_ipv6)) && ip -n "$REF" -6 addr add "$(subnet6 "$k")1/64" dev "nd$k" nodad
  fi

  for ((i = 1; i <= peers; i++)); do
    ns=$PREFIX-$side-s${k}p$i
    make_ns "$ns"
    ((with_ipv6)) && enable_ipv6 "$ns"
    plug "$ns" eth0 "v-$side-s${k}p$i" "$bridge"
    ip -n "$ns" link set eth0 address "$(peer_mac "$k" "$i")" up
    ip -n "$ns" addr add "$net.$((10 + i))/24" dev eth0
    ((with_ipv6)) && ip -n "$ns" -6 addr add "$(subnet6 "$k")$((10 + i))/64" dev eth0 nodad
    ip -n "$ns" route add default via "$net.1" dev eth0
  done

  if ((with_gw)); then
    ns=$PREFIX-$side-s${k}gw
    make_ns "$ns"
    ((with_ipv6)) && enable_ipv6 "$ns"
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
    plug "$ns" eth0 "v-$side-s${k}gw" "$bridge"
    ip -n "$ns" link set eth0 address "$(gw_mac "$k")" up
    ip -n "$ns" addr add "$net.254/24" dev eth0
    ((with_ipv6)) && ip -n "$ns" -6 addr add "$(subnet6 "$k")fe/64" dev eth0 nodad
    # A dummy device; kernels built without it get a veth pair kept inside the namespace.
    if ! ip -n "$ns" link add far0 type dummy 2>/dev/null; then
      ip -n "$ns" link add far0 type veth peer name far0p
      ip -n "$ns" link set far0p up
    fi
    ip -n "$ns" link set far0 up
    ip -n "$ns" addr add "10.$((88 + k)).0.1/24" dev far0
    # The reference kernel reaches the far network through this gateway, as neighd would.
    if [[ $side == ref ]]; then
      ip -n "$REF" route add "10.$((88 + k)).0.0/24" via "$net.254" dev "nd$k"
    fi
  fi
  say "segment $k side $side: $bridge, $port_ns/nd$k $(port_mac "$k"), peers $net.11-$net.$((10 + peers))$( ((with_gw)) && echo ", gateway $net.254 -> 10.$((88 + k)).0.0/24")"
}

cmd_up() {
  local k side
  cmd_down >/dev/null
  say "up: $segments segment(s), $peers peer(s) each, sides: $(sides | tr '\n' ' ')gateway: $( ((with_gw)) && echo yes || echo no)"
  make_ns "$SW"
  make_ns "$ND"
  if ((with_ref)); then
    make_ns "$REF"
    ((with_ipv6)) && enable_ipv6 "$REF"
  fi
  for ((k = 0; k < segments; k++)); do
    for side in $(sides); do build_side "$side" "$k"; done
  done
  mkdir -p "$RUN_DIR"
  printf 'segments=%s\npeers=%s\nref=%s\ngw=%s\nipv6=%s\n' "$segments" "$peers" "$with_ref" "$with_gw" "$with_ipv6" \
    >"$RUN_DIR/lab.conf"
  say "up: done. Try:"
  cat <<EOF
  ip netns exec $PREFIX-nd-s0p1 arping -c 3 10.77.0.1                # neighd answers (once it runs)
  ip netns exec $PREFIX-nd-s0p1 ping -c 3 10.77.0.1
  ip netns exec $PREFIX-nd-s0p1 ip neigh                             # what the peer learnt
EOF
  ((with_ref)) && echo "  ip netns exec $PREFIX-ref-s0p1 arping -c 3 10.77.0.1               # the reference kernel answers"
  ((with_ref && with_gw)) && echo "  ip netns exec $PREFIX-ref ping -c 3 10.88.0.1                     # the reference kernel, through the gateway"
  cat <<EOF
  curl -s http://127.0.0.1:9797/actuator/health
  curl -s http://127.0.0.1:9797/actuator/prometheus | grep ^neighd_neighbour_entries
  $0 status
  $0 down
EOF
}

cmd_status() {
  local namespaces ns
  namespaces=$(lab_namespaces)
  if [[ -z $namespaces ]]; then
    say "status: no lab (no ndlab namespaces)"
    return 0
  fi
  [[ -r $RUN_DIR/lab.conf ]] && say "status: $(tr '\n' ' ' <"$RUN_DIR/lab.conf")"
  for ns in $namespaces; do
    echo "== $ns"
    ip -n "$ns" -br link show | grep -v '^lo ' | awk '{printf "   link  %-16s %-8s %s\n", $1, $2, $3}'
    ip -n "$ns" -br -4 addr show | grep -v '^lo ' | awk 'NF > 2 {printf "   addr  %-16s %s\n", $1, $3}'
    case $ns in
      "$PREFIX"-*-s*p*|"$PREFIX"-*-s*gw)
        echo "   neigh $(ip -n "$ns" -j neigh show)" ;;
    esac
  done
}

# Bounded traffic toward neighd's address (and the reference kernel's, with --ref), PIDs in RUN_DIR.
start_traffic() {
  local seconds=${NDLAB_RUN_SECONDS:-3600} k i side ns target
  [[ $seconds =~ ^[0-9]+$ ]] || die "NDLAB_RUN_SECONDS must be a number of seconds"
  mkdir -p "$RUN_DIR"
  for ((k = 0; k < segments; k++)); do
    target=$(subnet "$k").1
    for side in $(sides); do
      for ((i = 1; i <= peers; i++)); do
        ns=$PREFIX-$side-s${k}p$i
        ip netns exec "$ns" ping -q -i 2 -w "$seconds" "$target" >/dev/null 2>&1 &
        echo $! >"$RUN_DIR/$ns.ping.pid"
        ip netns exec "$ns" arping -q -I eth0 -i 5 -w "$seconds" -c $((seconds / 5 + 1)) "$target" >/dev/null 2>&1 &
        echo $! >"$RUN_DIR/$ns.arping.pid"
        if ((with_ipv6)); then
          ip netns exec "$ns" ping -6 -q -i 2 -w "$seconds" "$(subnet6 "$k")1" >/dev/null 2>&1 &
          echo $! >"$RUN_DIR/$ns.ping6.pid"
        fi
      done
    done
  done
  say "run: traffic for at most ${seconds}s: every peer pings its segment's .1 every 2 s and arpings it every 5 s$( ((with_ipv6)) && echo ", and pings ::1 every 2 s") (PIDs in $RUN_DIR)"
}

cmd_run() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [[ -x $root/mvnw ]] || die "no ./mvnw in $root"
  # shellcheck disable=SC2154  # rc is assigned inside the trap
  local neighd_pid=
  # neighd runs in the background and the script waits for it, so that a TERM or INT reaches
  # this trap at once (bash defers traps while a foreground child runs); stopping Maven stops
  # the application it forked.
  trap 'rc=$?; trap - EXIT INT TERM; [[ -n ${neighd_pid:-} ]] && { kill -TERM "$neighd_pid" 2>/dev/null || true; wait "$neighd_pid" 2>/dev/null || true; }; stop_traffic; cmd_down; exit $rc' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  cmd_up
  start_traffic
  say "run: starting neighd (profile lab) from $root; Ctrl-C stops it and takes the lab down"
  # A list given on the command line replaces the profile's whole list (Spring Boot binds a list
  # from one source only), so every interface is named here in full, one per segment.
  local args=("--server.port=${NDLAB_PORT:-9797}") k
  [[ ${NDLAB_PORT:-9797} =~ ^[0-9]+$ ]] || die "NDLAB_PORT must be a port number"
  for ((k = 0; k < segments; k++)); do
    args+=("--neighd.interfaces[$k].name=nd$k" "--neighd.interfaces[$k].netns=$ND"
      "--neighd.interfaces[$k].addresses[0]=$(subnet "$k").1/24")
    if ((with_ipv6)); then
      args+=("--neighd.interfaces[$k].addresses[1]=$(subnet6 "$k")1/64")
    fi
  done
  (cd "$root" && exec ./mvnw -q spring-boot:run -Dspring-boot.run.profiles=lab "-Dspring-boot.run.arguments=${args[*]}") &
  neighd_pid=$!
  wait "$neighd_pid"
}

main() {
  local cmd=${1:-}
  [[ -n $cmd ]] || { usage >&2; exit 2; }
  shift
  case $cmd in
    -h|--help|help) usage; exit 0 ;;
    up|down|status|run) ;;
    *) usage >&2; die "unknown command: $cmd" 2 ;;
  esac
  require_root
  parse_options "$@"
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    status) cmd_status ;;
    run) cmd_run ;;
  esac
}

main "$@"
