package io.neighd.ip;

/** Route types (RTN_* in include/uapi/linux/rtnetlink.h) that the FIB answers with. */
public enum RouteType {
    UNICAST, LOCAL, BROADCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT
}
