/*
 * arpbench: the ARP traffic of lab/e2e-bench.sh, run inside a lab peer namespace (ip netns exec);
 * it only ever sends on the device it is given.
 *
 *   arpbench flood IFNAME SRC_MAC SRC_IP DST_IP COUNT MAX_SECONDS [RATE] [DRAIN_MS]
 *       Sends COUNT broadcast ARP requests for DST_IP as fast as it can (or RATE per second), for
 *       at most MAX_SECONDS, and counts the replies (op 2, DST_IP to SRC_IP) on the same device.
 *       Prints: sent, send_s (first to last send), send_pps, replies, lost (sent - replies),
 *       reply_s (first send to last reply), reply_pps (replies / reply_s), rx_drops (replies the
 *       counting socket itself dropped: if not 0, `lost` is overstated), tx_errors, cpu_s (this
 *       process's CPU time, user + system: the softirq work its sends cause is mostly in it).
 *
 *   arpbench senders IFNAME BASE_MAC BASE_IP DST_IP COUNT SENDERS MAX_SECONDS RATE [DRAIN_MS]
 *       The flood above from SENDERS distinct senders (the soak, docs/reliability.md): request i
 *       comes from BASE_IP + (i mod SENDERS), MAC BASE_MAC + (i mod SENDERS) in its last three
 *       bytes, so each is a new neighbour until the senders come round again. Paced at RATE per
 *       second by sleeping (not spinning: a soak shares its cores with neighd); replies counted
 *       are every op 2 from DST_IP, whatever its target. Prints what flood prints.
 *
 *   arpbench rtt IFNAME SRC_MAC SRC_IP DST_IP COUNT INTERVAL_US TIMEOUT_MS [RAW_FILE]
 *       arping done COUNT times, INTERVAL_US apart: one request, then wait for its reply; the
 *       first request is broadcast, the others unicast to the MAC that answered (as iputils
 *       arping does). The RTT is taken in user space, from just before send to just after the
 *       reply is read, as arping takes it. Prints: sent, received, min/p50/p90/p99/max/mean in us;
 *       with RAW_FILE, also appends every RTT (us, one a line) to it.
 *
 *   arpbench flood6 IFNAME SRC_MAC SRC_IP6 DST_IP6 COUNT MAX_SECONDS [RATE] [DRAIN_MS] [SENDERS]
 *   arpbench rtt6 IFNAME SRC_MAC SRC_IP6 DST_IP6 COUNT INTERVAL_US TIMEOUT_MS [RAW_FILE]
 *       The IPv6 twins: Neighbor Solicitations for DST_IP6 (hop limit 255, source link-layer
 *       option, ICMPv6 checksum over the pseudo-header) to its solicited-node group
 *       (ff02::1:ffXX:XXXX, 33:33:ff:XX:XX:XX), and solicited Neighbor Advertisements for DST_IP6
 *       counted as the replies. rtt6 sends every probe to the group, as ndisc6 does. flood6 sends
 *       from SENDERS distinct senders in turn (default 1): sender i is SRC_MAC and SRC_IP6 with i
 *       added to their last 16 bits, in the Ethernet source and the option alike, so that each
 *       solicitation creates or updates the sender's own nd_tbl entry as ndisc_recv_ns does.
 *       Output as for flood and rtt.
 *
 * One line of key=value pairs on stdout. Built at run time by lab/e2e-bench.sh:
 *   gcc -O2 -Wall -o arpbench lab/arpbench.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_LEN 60 /* 42 bytes of Ethernet + ARP, padded to the Ethernet minimum */
#define NS_LEN 86    /* Ethernet 14 + IPv6 40 + NS 24 + source link-layer option 8 */
#define NA_MIN 78    /* Ethernet 14 + IPv6 40 + NA 24 */
#define MAX_FRAME 128
#define MAX_SENDERS 65536
#define TX_BATCH 32
#define RX_BATCH 256

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "arpbench: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int parse_mac(const char *s, uint8_t mac[6]) {
    unsigned int b[6];
    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) {
        return -1;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = (uint8_t)b[i];
    }
    return 0;
}

static int open_packet_socket(int ifindex, int protocol) {
    int fd = socket(AF_PACKET, SOCK_RAW, htons(protocol));
    if (fd < 0) {
        die("socket(AF_PACKET)");
    }
    struct sockaddr_ll sll = {0};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(protocol);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        die("bind");
    }
    return fd;
}

/* A socket of `protocol` that receives only what the filter passes, opened before the first
 * request leaves so that no reply is missed. */
static int open_filtered_socket(int ifindex, int protocol, struct sock_filter *code, unsigned short len) {
    int fd = open_packet_socket(ifindex, protocol);
    int big = 256 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    }
    struct sock_fprog prog = {.len = len, .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
        die("SO_ATTACH_FILTER");
    }
    /* frames queued before the filter was attached were not filtered: drop them */
    char junk[2048];
    while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0) {
    }
    struct tpacket_stats st;
    socklen_t stlen = sizeof(st);
    getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &stlen); /* reading resets the counters */
    return fd;
}

/* ARP replies (op 2) from dst_ip to src_ip (network order). */
static int open_reply_socket(int ifindex, uint32_t src_ip, uint32_t dst_ip) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),               /* EtherType */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 0, 7),
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),               /* ARP op */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 5),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 28),               /* sender protocol address */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(dst_ip), 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 38),               /* target protocol address */
        /* src_ip 0: both ways lead to the accept */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ntohl(src_ip), 0, src_ip == 0 ? 0 : 1),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    return open_filtered_socket(ifindex, ETH_P_ARP, code, sizeof(code) / sizeof(code[0]));
}

static uint32_t word_at(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Solicited Neighbor Advertisements (ICMPv6 136 with S set) whose target is `target`, whoever they
 * are sent to: a flood's senders are many. Unsolicited NAs (S clear) and NS are not counted. */
static int open_na_socket(int ifindex, const uint8_t target[16]) {
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),               /* EtherType */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 15),
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),               /* next header */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 13),
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),               /* ICMPv6 type */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 0, 11),
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 58),               /* R S O flags */
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x40, 0, 9),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 62),               /* target address */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word_at(target), 0, 7),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 66),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word_at(target + 4), 0, 5),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 70),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word_at(target + 8), 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 74),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word_at(target + 12), 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    return open_filtered_socket(ifindex, ETH_P_IPV6, code, sizeof(code) / sizeof(code[0]));
}

static int open_send_socket(int ifindex) {
    int fd = open_packet_socket(ifindex, 0); /* protocol 0: this socket receives nothing */
    int one = 1;
    setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
    return fd;
}

/* An ARP request from mac/src_ip for dst_ip, to eth_dst (addresses in network order). */
static void build_request(uint8_t frame[FRAME_LEN], const uint8_t eth_dst[6], const uint8_t mac[6],
                          uint32_t src_ip, uint32_t dst_ip) {
    memset(frame, 0, FRAME_LEN);
    memcpy(frame, eth_dst, 6);
    memcpy(frame + 6, mac, 6);
    frame[12] = 0x08, frame[13] = 0x06; /* ARP */
    frame[14] = 0x00, frame[15] = 0x01; /* htype Ethernet */
    frame[16] = 0x08, frame[17] = 0x00; /* ptype IPv4 */
    frame[18] = 6, frame[19] = 4;
    frame[20] = 0x00, frame[21] = 0x01; /* request */
    memcpy(frame + 22, mac, 6);
    memcpy(frame + 28, &src_ip, 4);
    memcpy(frame + 38, &dst_ip, 4);     /* tha stays zero */
}

static const uint8_t BROADCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* The Internet checksum of ICMPv6 (RFC 4443 2.3): over the pseudo-header (source, destination,
 * upper-layer length, next header 58) and the message. */
static uint16_t icmp6_checksum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *msg, size_t len) {
    uint32_t sum = 0;
    for (int i = 0; i < 16; i += 2) {
        sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
    }
    sum += (uint32_t)len + 58;
    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
    }
    if (len & 1) {
        sum += (uint32_t)msg[len - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t)~sum;
}

/* A Neighbor Solicitation from mac/src for target, to target's solicited-node group, with the
 * source link-layer address option (RFC 4861 4.3). */
static void build_ns(uint8_t frame[NS_LEN], const uint8_t mac[6], const uint8_t src[16], const uint8_t target[16]) {
    uint8_t group[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, target[13], target[14], target[15]};
    memset(frame, 0, NS_LEN);
    frame[0] = 0x33, frame[1] = 0x33;
    memcpy(frame + 2, group + 12, 4);
    memcpy(frame + 6, mac, 6);
    frame[12] = 0x86, frame[13] = 0xdd; /* IPv6 */
    uint8_t *ip = frame + 14, *icmp = ip + 40;
    ip[0] = 0x60;
    ip[5] = 32;                          /* payload length */
    ip[6] = 58;                          /* ICMPv6 */
    ip[7] = 255;                         /* hop limit: ndisc_rcv drops anything else */
    memcpy(ip + 8, src, 16);
    memcpy(ip + 24, group, 16);
    icmp[0] = 135;                       /* NS, code 0 */
    memcpy(icmp + 8, target, 16);
    icmp[24] = 1, icmp[25] = 1;          /* source link-layer address, 8 bytes */
    memcpy(icmp + 26, mac, 6);
    uint16_t c = icmp6_checksum(src, group, icmp, 32);
    icmp[2] = (uint8_t)(c >> 8), icmp[3] = (uint8_t)c;
}

/* Sender i of a flood: base with i added to its last 16 bits. */
static void nth(uint8_t *out, const uint8_t *base, size_t len, long i) {
    memcpy(out, base, len);
    unsigned v = ((unsigned)base[len - 2] << 8 | base[len - 1]) + (unsigned)i;
    out[len - 2] = (uint8_t)(v >> 8), out[len - 1] = (uint8_t)v;
}

/* One flood: what flood, flood6 and senders share (the send loop, its pacing, the drain and the
 * report); `fill` points the batch's i-th iovec at the frame of request `seq`. */
struct flood {
    int tx, rx;
    long count;
    double max_s, rate, drain_s, drain_max_s;
    int batch;
    int sleeps; /* paces by sleeping (a soak shares its cores with neighd), not by spinning */
    void (*fill)(struct flood *f, struct iovec *iov, int i, long seq);
    uint8_t *frames; /* flood, flood6: nframes frames of len bytes, sent in turn */
    size_t len;
    long nframes;
    const uint8_t *base_mac; /* senders: request seq comes from sender seq mod pool */
    uint32_t base_ip, dst_ip;
    long pool;
};

static void fill_fixed(struct flood *f, struct iovec *iov, int i, long seq) {
    (void)i;
    iov->iov_base = f->frames + (size_t)(seq % f->nframes) * f->len;
}

static int run_flood(struct flood *f) {
    struct mmsghdr txm[TX_BATCH];
    struct iovec txv[TX_BATCH];
    for (int i = 0; i < TX_BATCH; i++) {
        txv[i].iov_base = f->frames;
        txv[i].iov_len = f->len;
        memset(&txm[i], 0, sizeof(txm[i]));
        txm[i].msg_hdr.msg_iov = &txv[i];
        txm[i].msg_hdr.msg_iovlen = 1;
    }
    static char rxbuf[RX_BATCH][128];
    struct mmsghdr rxm[RX_BATCH];
    struct iovec rxv[RX_BATCH];
    for (int i = 0; i < RX_BATCH; i++) {
        rxv[i].iov_base = rxbuf[i];
        rxv[i].iov_len = sizeof(rxbuf[i]);
        memset(&rxm[i], 0, sizeof(rxm[i]));
        rxm[i].msg_hdr.msg_iov = &rxv[i];
        rxm[i].msg_hdr.msg_iovlen = 1;
    }

    long sent = 0, replies = 0, tx_errors = 0;
    double t0 = now_s(), last_send = t0, last_reply = 0, deadline = t0 + f->max_s;
    while (sent < f->count && now_s() < deadline) {
        int n = (int)(f->count - sent < f->batch ? f->count - sent : f->batch);
        for (int i = 0; i < n; i++) {
            f->fill(f, &txv[i], i, sent + i);
        }
        if (f->rate > 0) {
            double due = t0 + (double)sent / f->rate;
            if (f->sleeps) {
                double d = due - now_s();
                if (d > 0) {
                    struct timespec ts = {.tv_sec = (time_t)d, .tv_nsec = (long)((d - (double)(time_t)d) * 1e9)};
                    nanosleep(&ts, NULL);
                }
            }
            while (now_s() < due) {
            }
        }
        int k = sendmmsg(f->tx, txm, (unsigned int)n, 0);
        if (k < 0) {
            if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
                tx_errors++;
                continue;
            }
            die("sendmmsg");
        }
        sent += k;
        last_send = now_s();
        int r;
        while ((r = recvmmsg(f->rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
            replies += r;
            last_reply = now_s();
        }
    }
    /* Drain: until every request is answered, or no reply came for drain_s, within the time bound. */
    double end = now_s() + f->drain_max_s, quiet_since = now_s();
    while (replies < sent) {
        struct pollfd p = {.fd = f->rx, .events = POLLIN};
        int ready = poll(&p, 1, 20);
        double t = now_s();
        if (ready > 0) {
            int r;
            while ((r = recvmmsg(f->rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
                replies += r;
                last_reply = now_s();
                quiet_since = last_reply;
            }
        }
        if (t - quiet_since > f->drain_s || t > end) {
            break;
        }
    }
    struct tpacket_stats st = {0};
    socklen_t stlen = sizeof(st);
    getsockopt(f->rx, SOL_PACKET, PACKET_STATISTICS, &st, &stlen);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    double send_s = last_send - t0;
    double reply_s = (last_reply > 0 ? last_reply : last_send) - t0;
    printf("sent=%ld send_s=%.4f send_pps=%.0f replies=%ld lost=%ld reply_s=%.4f reply_pps=%.0f rx_drops=%u "
           "tx_errors=%ld cpu_s=%.3f",
           sent, send_s, send_s > 0 ? sent / send_s : 0, replies, sent - replies, reply_s,
           reply_s > 0 ? replies / reply_s : 0, st.tp_drops, tx_errors, cpu_s);
    if (f->pool > 0) {
        printf(" senders=%ld", sent < f->pool ? sent : f->pool);
    }
    printf("\n");
    close(f->tx);
    close(f->rx);
    return 0;
}

/* Sends `nframes` frames of `len` bytes each (one after another in `frames`) in turn, counting
 * what `rx` receives as replies. */
static int flood(int ifindex, int rx, uint8_t *frames, size_t len, long nframes, int argc, char **argv) {
    struct flood f = {.rx = rx, .count = atol(argv[0]), .max_s = atof(argv[1]),
                      .rate = argc > 2 ? atof(argv[2]) : 0, .drain_s = (argc > 3 ? atof(argv[3]) : 1000) / 1000.0,
                      .batch = TX_BATCH, .fill = fill_fixed, .frames = frames, .len = len, .nframes = nframes};
    if (f.count <= 0 || f.max_s <= 0) {
        fprintf(stderr, "arpbench flood: COUNT and MAX_SECONDS must be positive\n");
        return 2;
    }
    f.drain_max_s = f.max_s;
    f.tx = open_send_socket(ifindex);
    return run_flood(&f);
}

/* The request of sender k of the pool: BASE_MAC and BASE_IP (host order) plus k. */
static void build_sender(uint8_t frame[FRAME_LEN], const uint8_t base_mac[6], uint32_t base_ip, uint32_t dst_ip,
                         long k) {
    uint8_t mac[6];
    memcpy(mac, base_mac, 6);
    uint32_t low = ((uint32_t)mac[3] << 16 | (uint32_t)mac[4] << 8 | mac[5]) + (uint32_t)k;
    mac[3] = (uint8_t)(low >> 16), mac[4] = (uint8_t)(low >> 8), mac[5] = (uint8_t)low;
    build_request(frame, BROADCAST, mac, htonl(base_ip + (uint32_t)k), dst_ip);
}

static void fill_sender(struct flood *f, struct iovec *iov, int i, long seq) {
    static uint8_t frames[TX_BATCH][FRAME_LEN];
    build_sender(frames[i], f->base_mac, f->base_ip, f->dst_ip, seq % f->pool);
    iov->iov_base = frames[i];
}

static int senders(int ifindex, const uint8_t base_mac[6], uint32_t base_ip, uint32_t dst_ip, int argc,
                   char **argv) {
    if (argc < 4) {
        fprintf(stderr, "arpbench senders: COUNT SENDERS MAX_SECONDS RATE [DRAIN_MS]\n");
        return 2;
    }
    struct flood f = {.count = atol(argv[0]), .pool = atol(argv[1]), .max_s = atof(argv[2]), .rate = atof(argv[3]),
                      .drain_s = (argc > 4 ? atof(argv[4]) : 1000) / 1000.0, .drain_max_s = 30, .sleeps = 1,
                      .fill = fill_sender, .len = FRAME_LEN, .base_mac = base_mac, .base_ip = ntohl(base_ip),
                      .dst_ip = dst_ip};
    if (f.count <= 0 || f.pool <= 0 || f.pool > (1L << 24) || f.max_s <= 0 || f.rate <= 0) {
        fprintf(stderr, "arpbench senders: COUNT, SENDERS (at most 2^24), MAX_SECONDS and RATE must be positive\n");
        return 2;
    }
    /* batches small enough that a batch is at most ~5 ms of the rate */
    f.batch = (int)(f.rate / 200);
    f.batch = f.batch < 1 ? 1 : (f.batch > TX_BATCH ? TX_BATCH : f.batch);
    f.rx = open_reply_socket(ifindex, 0, dst_ip);
    f.tx = open_send_socket(ifindex);
    return run_flood(&f);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, long n, double p) {
    long i = (long)(p / 100.0 * (double)n + 0.5) - 1;
    return sorted[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

/* Sends `frame` (`len` bytes) COUNT times, each after the reply to the one before or its timeout;
 * a reply is at least `min_reply` bytes; with learn_at >= 0, the 6 bytes at that offset of a reply
 * become the frame's Ethernet destination (arping's unicast after the first answer). */
static int rtt(int ifindex, int rx, uint8_t *frame, size_t len, size_t min_reply, int learn_at, int argc, char **argv) {
    long count = atol(argv[0]);
    long interval_us = atol(argv[1]);
    int timeout_ms = atoi(argv[2]);
    const char *raw = argc > 3 ? argv[3] : NULL;
    if (count <= 0 || interval_us < 0 || timeout_ms <= 0) {
        fprintf(stderr, "arpbench rtt: COUNT and TIMEOUT_MS must be positive, INTERVAL_US not negative\n");
        return 2;
    }
    int tx = open_send_socket(ifindex);
    double *us = calloc((size_t)count, sizeof(double));
    if (us == NULL) {
        die("calloc");
    }
    uint8_t reply[128];
    long received = 0;
    double next = now_s();
    for (long i = 0; i < count; i++) {
        while (now_s() < next) {
            usleep(50);
        }
        next += interval_us / 1e6;
        while (recv(rx, reply, sizeof(reply), MSG_DONTWAIT) > 0) {
            /* a late reply to an earlier probe */
        }
        double t0 = now_s();
        if (send(tx, frame, len, 0) < 0) {
            die("send");
        }
        double deadline = t0 + timeout_ms / 1000.0;
        for (;;) {
            int left = (int)((deadline - now_s()) * 1000.0) + 1;
            struct pollfd p = {.fd = rx, .events = POLLIN};
            if (poll(&p, 1, left) > 0 && recv(rx, reply, sizeof(reply), MSG_DONTWAIT) >= (ssize_t)min_reply) {
                us[received++] = (now_s() - t0) * 1e6;
                if (learn_at >= 0) {
                    memcpy(frame, reply + learn_at, 6);
                }
                break;
            }
            if (now_s() >= deadline) {
                break;
            }
        }
    }
    if (raw != NULL) {
        FILE *f = fopen(raw, "a");
        if (f == NULL) {
            die(raw);
        }
        for (long i = 0; i < received; i++) {
            fprintf(f, "%.1f\n", us[i]);
        }
        fclose(f);
    }
    qsort(us, (size_t)received, sizeof(double), cmp_double);
    double sum = 0;
    for (long i = 0; i < received; i++) {
        sum += us[i];
    }
    if (received == 0) {
        printf("sent=%ld received=0\n", count);
    } else {
        printf("sent=%ld received=%ld min_us=%.1f p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f\n",
               count, received, us[0], pct(us, received, 50), pct(us, received, 90), pct(us, received, 99),
               us[received - 1], sum / (double)received);
    }
    free(us);
    close(tx);
    close(rx);
    return 0;
}

static int ipv4(int argc, char **argv) {
    uint8_t mac[6];
    struct in_addr src_ip, dst_ip;
    if (parse_mac(argv[3], mac) < 0 || inet_pton(AF_INET, argv[4], &src_ip) != 1
        || inet_pton(AF_INET, argv[5], &dst_ip) != 1) {
        fprintf(stderr, "arpbench: bad MAC or address\n");
        return 2;
    }
    int ifindex = (int)if_nametoindex(argv[2]);
    if (ifindex == 0) {
        die(argv[2]);
    }
    if (strcmp(argv[1], "senders") == 0) {
        return senders(ifindex, mac, src_ip.s_addr, dst_ip.s_addr, argc - 6, argv + 6);
    }
    static uint8_t frame[FRAME_LEN];
    build_request(frame, BROADCAST, mac, src_ip.s_addr, dst_ip.s_addr);
    int rx = open_reply_socket(ifindex, src_ip.s_addr, dst_ip.s_addr);
    if (strcmp(argv[1], "flood") == 0) {
        return flood(ifindex, rx, frame, FRAME_LEN, 1, argc - 6, argv + 6);
    }
    /* the first request broadcast, the next ones unicast to whoever answered (the ARP sender
     * hardware address), as arping does */
    return rtt(ifindex, rx, frame, FRAME_LEN, 42, 22, argc - 6, argv + 6);
}

static int ipv6(int argc, char **argv) {
    uint8_t mac[6], src[16], dst[16];
    if (parse_mac(argv[3], mac) < 0 || inet_pton(AF_INET6, argv[4], src) != 1 || inet_pton(AF_INET6, argv[5], dst) != 1) {
        fprintf(stderr, "arpbench: bad MAC or IPv6 address\n");
        return 2;
    }
    int ifindex = (int)if_nametoindex(argv[2]);
    if (ifindex == 0) {
        die(argv[2]);
    }
    int flood6 = strcmp(argv[1], "flood6") == 0;
    long senders = flood6 && argc > 10 ? atol(argv[10]) : 1;
    if (senders < 1 || senders > MAX_SENDERS) {
        fprintf(stderr, "arpbench flood6: SENDERS must be 1-%d\n", MAX_SENDERS);
        return 2;
    }
    uint8_t *frames = calloc((size_t)senders, NS_LEN);
    if (frames == NULL) {
        die("calloc");
    }
    for (long i = 0; i < senders; i++) {
        uint8_t m[6], s[16];
        nth(m, mac, 6, i);
        nth(s, src, 16, i);
        build_ns(frames + (size_t)i * NS_LEN, m, s, dst);
    }
    int rx = open_na_socket(ifindex, dst);
    if (flood6) {
        return flood(ifindex, rx, frames, NS_LEN, senders, argc > 10 ? 4 : argc - 6, argv + 6);
    }
    return rtt(ifindex, rx, frames, NS_LEN, NA_MIN, -1, argc - 6, argv + 6);
}

int main(int argc, char **argv) {
    const char *m = argc > 1 ? argv[1] : "";
    int is_flood = strcmp(m, "flood") == 0 || strcmp(m, "flood6") == 0 || strcmp(m, "senders") == 0;
    int is_rtt = strcmp(m, "rtt") == 0 || strcmp(m, "rtt6") == 0;
    if (argc < 8 || !(is_flood || is_rtt) || (is_rtt && argc < 9)) {
        fprintf(stderr, "usage: %s flood IFNAME SRC_MAC SRC_IP DST_IP COUNT MAX_SECONDS [RATE] [DRAIN_MS]\n"
                        "       %s senders IFNAME BASE_MAC BASE_IP DST_IP COUNT SENDERS MAX_SECONDS RATE [DRAIN_MS]\n"
                        "       %s rtt IFNAME SRC_MAC SRC_IP DST_IP COUNT INTERVAL_US TIMEOUT_MS [RAW_FILE]\n"
                        "       %s flood6 IFNAME SRC_MAC SRC_IP6 DST_IP6 COUNT MAX_SECONDS [RATE] [DRAIN_MS] [SENDERS]\n"
                        "       %s rtt6 IFNAME SRC_MAC SRC_IP6 DST_IP6 COUNT INTERVAL_US TIMEOUT_MS [RAW_FILE]\n",
                argv[0], argv[0], argv[0], argv[0], argv[0]);
        return 2;
    }
    return m[strlen(m) - 1] == '6' ? ipv6(argc, argv) : ipv4(argc, argv);
}
