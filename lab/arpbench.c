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

/* A socket that receives only ARP replies (op 2) from dst_ip to src_ip (network order; src_ip 0:
 * to anyone), opened before the first request leaves so that no reply is missed. */
static int open_reply_socket(int ifindex, uint32_t src_ip, uint32_t dst_ip) {
    int fd = open_packet_socket(ifindex, ETH_P_ARP);
    int big = 256 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    }
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
    struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
    if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
        die("SO_ATTACH_FILTER");
    }
    /* frames queued before the filter was attached were not filtered: drop them */
    char junk[2048];
    while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0) {
    }
    struct tpacket_stats st;
    socklen_t len = sizeof(st);
    getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len); /* reading resets the counters */
    return fd;
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

static int flood(int ifindex, const uint8_t mac[6], uint32_t src_ip, uint32_t dst_ip, int argc, char **argv) {
    long count = atol(argv[0]);
    double max_s = atof(argv[1]);
    double rate = argc > 2 ? atof(argv[2]) : 0;
    double drain_s = (argc > 3 ? atof(argv[3]) : 1000) / 1000.0;
    if (count <= 0 || max_s <= 0) {
        fprintf(stderr, "arpbench flood: COUNT and MAX_SECONDS must be positive\n");
        return 2;
    }
    int rx = open_reply_socket(ifindex, src_ip, dst_ip);
    int tx = open_send_socket(ifindex);
    uint8_t frame[FRAME_LEN];
    build_request(frame, BROADCAST, mac, src_ip, dst_ip);

    struct mmsghdr txm[TX_BATCH];
    struct iovec txv[TX_BATCH];
    for (int i = 0; i < TX_BATCH; i++) {
        txv[i].iov_base = frame;
        txv[i].iov_len = sizeof(frame);
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
    double t0 = now_s(), last_send = t0, last_reply = 0, deadline = t0 + max_s;
    while (sent < count && now_s() < deadline) {
        int n = (int)(count - sent < TX_BATCH ? count - sent : TX_BATCH);
        if (rate > 0) {
            double due = t0 + (double)sent / rate;
            while (now_s() < due) {
            }
        }
        int k = sendmmsg(tx, txm, (unsigned int)n, 0);
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
        while ((r = recvmmsg(rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
            replies += r;
            last_reply = now_s();
        }
    }
    /* Drain: until every request is answered, or no reply came for drain_s, within the time bound. */
    double end = now_s() + max_s, quiet_since = now_s();
    while (replies < sent) {
        struct pollfd p = {.fd = rx, .events = POLLIN};
        int ready = poll(&p, 1, 20);
        double t = now_s();
        if (ready > 0) {
            int r;
            while ((r = recvmmsg(rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
                replies += r;
                last_reply = now_s();
                quiet_since = last_reply;
            }
        }
        if (t - quiet_since > drain_s || t > end) {
            break;
        }
    }
    struct tpacket_stats st = {0};
    socklen_t stlen = sizeof(st);
    getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &stlen);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    double send_s = last_send - t0;
    double reply_s = (last_reply > 0 ? last_reply : last_send) - t0;
    printf("sent=%ld send_s=%.4f send_pps=%.0f replies=%ld lost=%ld reply_s=%.4f reply_pps=%.0f rx_drops=%u "
           "tx_errors=%ld cpu_s=%.3f\n",
           sent, send_s, send_s > 0 ? sent / send_s : 0, replies, sent - replies, reply_s,
           reply_s > 0 ? replies / reply_s : 0, st.tp_drops, tx_errors, cpu_s);
    close(tx);
    close(rx);
    return 0;
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

static void sleep_until(double t) {
    double d = t - now_s();
    if (d > 0) {
        struct timespec ts = {.tv_sec = (time_t)d, .tv_nsec = (long)((d - (double)(time_t)d) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static int senders(int ifindex, const uint8_t base_mac[6], uint32_t base_ip, uint32_t dst_ip, int argc,
                   char **argv) {
    if (argc < 4) {
        fprintf(stderr, "arpbench senders: COUNT SENDERS MAX_SECONDS RATE [DRAIN_MS]\n");
        return 2;
    }
    long count = atol(argv[0]), pool = atol(argv[1]);
    double max_s = atof(argv[2]), rate = atof(argv[3]);
    double drain_s = (argc > 4 ? atof(argv[4]) : 1000) / 1000.0;
    if (count <= 0 || pool <= 0 || pool > (1L << 24) || max_s <= 0 || rate <= 0) {
        fprintf(stderr, "arpbench senders: COUNT, SENDERS (at most 2^24), MAX_SECONDS and RATE must be positive\n");
        return 2;
    }
    int rx = open_reply_socket(ifindex, 0, dst_ip);
    int tx = open_send_socket(ifindex);
    static uint8_t frames[TX_BATCH][FRAME_LEN];
    struct mmsghdr txm[TX_BATCH];
    struct iovec txv[TX_BATCH];
    for (int i = 0; i < TX_BATCH; i++) {
        txv[i].iov_base = frames[i];
        txv[i].iov_len = FRAME_LEN;
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
    /* batches small enough that a batch is at most ~5 ms of the rate */
    int batch = (int)(rate / 200);
    batch = batch < 1 ? 1 : (batch > TX_BATCH ? TX_BATCH : batch);
    long sent = 0, replies = 0, tx_errors = 0;
    double t0 = now_s(), last_send = t0, last_reply = 0, deadline = t0 + max_s;
    uint32_t base = ntohl(base_ip);
    while (sent < count && now_s() < deadline) {
        int n = (int)(count - sent < batch ? count - sent : batch);
        sleep_until(t0 + (double)sent / rate);
        for (int i = 0; i < n; i++) {
            build_sender(frames[i], base_mac, base, dst_ip, (sent + i) % pool);
        }
        int k = sendmmsg(tx, txm, (unsigned int)n, 0);
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
        while ((r = recvmmsg(rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
            replies += r;
            last_reply = now_s();
        }
    }
    double end = now_s() + 30, quiet_since = now_s();
    while (replies < sent) {
        struct pollfd p = {.fd = rx, .events = POLLIN};
        int ready = poll(&p, 1, 20);
        double t = now_s();
        if (ready > 0) {
            int r;
            while ((r = recvmmsg(rx, rxm, RX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
                replies += r;
                last_reply = now_s();
                quiet_since = last_reply;
            }
        }
        if (t - quiet_since > drain_s || t > end) {
            break;
        }
    }
    struct tpacket_stats st = {0};
    socklen_t stlen = sizeof(st);
    getsockopt(rx, SOL_PACKET, PACKET_STATISTICS, &st, &stlen);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    double send_s = last_send - t0;
    double reply_s = (last_reply > 0 ? last_reply : last_send) - t0;
    printf("sent=%ld send_s=%.4f send_pps=%.0f replies=%ld lost=%ld reply_s=%.4f reply_pps=%.0f rx_drops=%u "
           "tx_errors=%ld cpu_s=%.3f senders=%ld\n",
           sent, send_s, send_s > 0 ? sent / send_s : 0, replies, sent - replies, reply_s,
           reply_s > 0 ? replies / reply_s : 0, st.tp_drops, tx_errors, cpu_s, sent < pool ? sent : pool);
    close(tx);
    close(rx);
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, long n, double p) {
    long i = (long)(p / 100.0 * (double)n + 0.5) - 1;
    return sorted[i < 0 ? 0 : (i >= n ? n - 1 : i)];
}

static int rtt(int ifindex, const uint8_t mac[6], uint32_t src_ip, uint32_t dst_ip, int argc, char **argv) {
    long count = atol(argv[0]);
    long interval_us = atol(argv[1]);
    int timeout_ms = atoi(argv[2]);
    const char *raw = argc > 3 ? argv[3] : NULL;
    if (count <= 0 || interval_us < 0 || timeout_ms <= 0) {
        fprintf(stderr, "arpbench rtt: COUNT and TIMEOUT_MS must be positive, INTERVAL_US not negative\n");
        return 2;
    }
    int rx = open_reply_socket(ifindex, src_ip, dst_ip);
    int tx = open_send_socket(ifindex);
    double *us = calloc((size_t)count, sizeof(double));
    if (us == NULL) {
        die("calloc");
    }
    uint8_t frame[FRAME_LEN], reply[128], eth_dst[6];
    memcpy(eth_dst, BROADCAST, 6);
    long received = 0;
    double next = now_s();
    for (long i = 0; i < count; i++) {
        while (now_s() < next) {
            usleep(50);
        }
        next += interval_us / 1e6;
        build_request(frame, eth_dst, mac, src_ip, dst_ip);
        while (recv(rx, reply, sizeof(reply), MSG_DONTWAIT) > 0) {
            /* a late reply to an earlier probe */
        }
        double t0 = now_s();
        if (send(tx, frame, sizeof(frame), 0) < 0) {
            die("send");
        }
        double deadline = t0 + timeout_ms / 1000.0;
        for (;;) {
            int left = (int)((deadline - now_s()) * 1000.0) + 1;
            struct pollfd p = {.fd = rx, .events = POLLIN};
            if (poll(&p, 1, left) > 0 && recv(rx, reply, sizeof(reply), MSG_DONTWAIT) >= 42) {
                us[received++] = (now_s() - t0) * 1e6;
                memcpy(eth_dst, reply + 22, 6); /* unicast to whoever answered, as arping does */
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

int main(int argc, char **argv) {
    if (argc < 8 || (strcmp(argv[1], "flood") != 0 && strcmp(argv[1], "rtt") != 0 && strcmp(argv[1], "senders") != 0)
        || (strcmp(argv[1], "rtt") == 0 && argc < 9)) {
        fprintf(stderr, "usage: %s flood IFNAME SRC_MAC SRC_IP DST_IP COUNT MAX_SECONDS [RATE] [DRAIN_MS]\n"
                        "       %s senders IFNAME BASE_MAC BASE_IP DST_IP COUNT SENDERS MAX_SECONDS RATE [DRAIN_MS]\n"
                        "       %s rtt IFNAME SRC_MAC SRC_IP DST_IP COUNT INTERVAL_US TIMEOUT_MS [RAW_FILE]\n",
                argv[0], argv[0], argv[0]);
        return 2;
    }
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
    if (strcmp(argv[1], "flood") == 0) {
        return flood(ifindex, mac, src_ip.s_addr, dst_ip.s_addr, argc - 6, argv + 6);
    }
    return rtt(ifindex, mac, src_ip.s_addr, dst_ip.s_addr, argc - 6, argv + 6);
}
