package io.neighd.neighbour;

/** What the neighbour table needs of a network device (the parts of struct net_device it reads). */
public interface NeighDevice {
    int ifindex();

    String name();

    /** dev->dev_addr */
    long hwAddr();

    /** IFF_LOOPBACK: entries on it are exempt from GC. */
    boolean isLoopback();

    /** netif_running(): IFF_UP */
    boolean isUp();
}
