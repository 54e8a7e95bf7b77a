package io.neighd.cluster;

/** Where this node stands for one elected address. */
public enum Role {
    /** No interface here can serve it (none in its subnet, or down, or not capturing). */
    INELIGIBLE,
    /** Watching the lease; takes it when it is free or expired. */
    STANDBY,
    /** An acquisition is on its way to the store. */
    ACQUIRING,
    /** Holds the lease and answers for the address. */
    OWNER,
    /** Has stopped answering and is giving the lease up. */
    RELEASING
}
