package io.neighd.neighbour;

/**
 * Everything the table tells the outside, on the engine thread: the netlink notifications
 * (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH, exactly where the kernel sends them) and every
 * state change (including the ones the kernel does not notify), for metrics.
 */
public interface NeighObserver<D extends NeighDevice> {
    int RTM_NEWNEIGH = 28;
    int RTM_DELNEIGH = 29;
    int RTM_GETNEIGH = 30;

    /** __neigh_notify(): {@code n} is read synchronously; copy what you keep. */
    default void notify(int type, Neighbour<D> n) {
    }

    /** Every nud_state write that changes the value. */
    default void stateChanged(Neighbour<D> n, int from, int to) {
    }
}
