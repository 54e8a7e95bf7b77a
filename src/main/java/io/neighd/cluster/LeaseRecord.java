package io.neighd.cluster;

/**
 * A lease as a store holds it, as last seen.
 *
 * @param holder         the node holding it; empty when released
 * @param version        the store's version of the record (resourceVersion, etcd mod revision);
 *                       a change means someone wrote it
 * @param durationMillis how long the holder may go without renewing before others may take it
 * @param transitions    how often the holder changed, as the store counts it
 * @param acquiredAt     when the holder took it, where the store keeps that (Kubernetes)
 */
public record LeaseRecord(String holder, String version, long durationMillis, long transitions,
                          java.time.ZonedDateTime acquiredAt) {
    /** No record at all (never created, or deleted). */
    public static final LeaseRecord ABSENT = new LeaseRecord("", "", 0, 0);

    public LeaseRecord(String holder, String version, long durationMillis, long transitions) {
        this(holder, version, durationMillis, transitions, null);
    }

    public LeaseRecord {
        holder = holder == null ? "" : holder;
        version = version == null ? "" : version;
    }

    public boolean isAbsent() {
        return version.isEmpty();
    }

    /** Absent or released: anyone may take it at once. */
    public boolean isFree() {
        return holder.isEmpty();
    }
}
