package io.neighd.cluster;

import io.neighd.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * This node's side of every elected address: stands where it can serve, takes free or expired
 * leases in rendezvous order, renews, stops answering at its deadline, gives leases up on
 * request, and announces takeovers. Single-threaded: every method runs on the cluster thread,
 * and store answers come back to it through {@code callbacks}. Time comes from the injected
 * {@link Clock} only, so tests drive every timing path on a manual clock.
 */
public final class Cluster {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    /**
     * How often the interfaces' state is looked at: one engine query, cheap, and asked without
     * waiting, so that no store answer or announcement waits for the engine behind it.
     */
    static final long DEVICE_POLL_NANOS = 20_000_000L;

    private final OwnershipStore store;
    private final AddressPort port;
    private final Clock clock;
    private final ElectionTiming timing;
    private final Executor callbacks;
    private final ClusterListener listener;
    private final Announcer announcer;
    private final Map<String, Election> elections = new LinkedHashMap<>();
    private boolean closing;
    /** The interfaces as last reported by the engine; null until the first report. */
    private List<AddressPort.Device> devices;
    private boolean devicesAsked;
    private long nextDevicePoll = Long.MIN_VALUE;
    /** While the store's watch is down: when the standbys' leases are next read. */
    private long nextRead = Long.MIN_VALUE;

    /**
     * @param callbacks runs store answers and watch reports on the cluster thread (a test passes
     *                  {@code Runnable::run})
     * @param minGapNanos the least time between two gratuitous frames on one interface
     */
    public Cluster(OwnershipStore store, AddressPort port, Clock clock, ElectionTiming timing, Executor callbacks,
                   ClusterListener listener, long minGapNanos) {
        this.store = store;
        this.port = port;
        this.clock = clock;
        this.timing = timing;
        this.callbacks = callbacks;
        this.listener = listener;
        this.announcer = new Announcer(port, new ClusterListener() {
            @Override
            public void gratuitousSent(String key, String dev) {
                Election e = elections.get(key);
                if (e != null) {
                    e.gratuitousSent++;
                }
                log.debug("{}: announcement queued on {}", key, dev);
                listener.gratuitousSent(key, dev);
            }
        }, minGapNanos);
    }

    public String identity() {
        return store.identity();
    }

    public String backend() {
        return store.backend();
    }

    public ElectionTiming timing() {
        return timing;
    }

    // ------------------------------------------------------------------ configuration

    /** Starts standing for {@code spec}; false if it is already elected here. */
    public boolean add(VipSpec spec) {
        if (elections.containsKey(spec.key()) && !elections.get(spec.key()).removed) {
            return false;
        }
        Election e = new Election(spec, clock.nanos());
        elections.put(e.key, e);
        store.watch(e.key, (key, rec) -> {
            long at = clock.nanos();
            callbacks.execute(() -> observed(key, rec, at));
        });
        tick();
        return true;
    }

    /** Stops standing for {@code key}: gives the lease up if held, then forgets it. False if unknown. */
    public boolean remove(String key) {
        Election e = elections.get(key);
        if (e == null || e.removed) {
            return false;
        }
        e.removed = true;
        stepDown(e, "removed from the configuration");
        forgetIfDone(e);
        return true;
    }

    /**
     * Hands {@code key} over: stops answering, releases the lease, and does not ask for it again
     * for one lease duration, so a standby takes it. False if this node does not own it.
     */
    public boolean release(String key) {
        Election e = elections.get(key);
        if (e == null || e.role != Role.OWNER) {
            return false;
        }
        stepDown(e, "released through the API");
        return true;
    }

    /** Shutting down: stop answering for everything and release every lease; asks for nothing more. */
    public CompletableFuture<Void> releaseAll(String why) {
        closing = true;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (Election e : elections.values()) {
            CompletableFuture<Void> f = stepDown(e, why);
            if (f != null) {
                pending.add(f);
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    }

    public List<VipStatus> status() {
        List<VipStatus> out = new ArrayList<>();
        for (Election e : elections.values()) {
            if (!e.removed) {
                out.add(e.status(identity()));
            }
        }
        return out;
    }

    public VipStatus status(String key) {
        Election e = elections.get(key);
        return e == null || e.removed ? null : e.status(identity());
    }

    // ------------------------------------------------------------------ time

    /** Does everything due by now; returns when it next has something to do (clock nanos). */
    public long tick() {
        long now = clock.nanos();
        pollDevices(now);
        readWithoutWatch(now);
        for (Election e : List.copyOf(elections.values())) {
            if (devices != null) {
                eligibility(e, devices, now);
            }
            onTick(e, now);
        }
        announcer.tick(now);
        return nextDue(now);
    }

    /** Asks the engine for the interfaces' state; the answer comes back as a callback. */
    private void pollDevices(long now) {
        if (devicesAsked || now < nextDevicePoll) {
            return;
        }
        devicesAsked = true;
        nextDevicePoll = now + DEVICE_POLL_NANOS;
        answer(port.devices(), d -> {
            devicesAsked = false;
            devices = d;
        }, err -> {
            devicesAsked = false;
            log.debug("interfaces not read: {}", err.toString());
        });
    }

    /**
     * A store whose watch is not established (a node that has just started, a broken connection
     * being set up again) reports no release: standbys would wait for the lease to expire. Until
     * the watch is back, their leases are read every retry period instead. The version read is
     * first seen when the answer arrives, never earlier, as the timing argument needs.
     */
    private void readWithoutWatch(long now) {
        if (store.watching() || now < nextRead) {
            return;
        }
        nextRead = now + timing.retryPeriod().toNanos();
        for (Election e : elections.values()) {
            if (e.role == Role.STANDBY && !e.removed) {
                answer(store.read(e.key), rec -> observed(e.key, rec, clock.nanos()),
                        err -> log.debug("{}: lease not read: {}", e.key, err.toString()));
            }
        }
    }

    private long nextDue(long now) {
        long next = announcer.nextDue();
        for (Election e : elections.values()) {
            switch (e.role) {
                case INELIGIBLE, ACQUIRING, RELEASING -> {
                }
                case STANDBY -> {
                    if (e.seen != null && !closing && !e.removed) {
                        long at = e.askAt >= 0 ? e.askAt
                                : e.seen.isFree() || e.seen.holder().equals(identity()) ? now
                                : e.seenAt + e.seen.durationMillis() * 1_000_000L;
                        next = Math.min(next, Math.max(at, e.holdOffUntil));
                    }
                }
                case OWNER -> {
                    next = Math.min(next, e.heldUntil);
                    if (!e.requestInFlight) {
                        next = Math.min(next, e.nextRenewAt);
                    }
                }
            }
        }
        if (!store.watching()) {
            next = Math.min(next, nextRead);
        }
        // the interfaces' state is polled: an owner whose link went down must let go promptly
        return Math.min(next, devicesAsked ? now + DEVICE_POLL_NANOS : Math.max(now, nextDevicePoll));
    }

    /** Finds the interface that can serve the address here, and stands or steps down accordingly. */
    private void eligibility(Election e, List<AddressPort.Device> devices, long now) {
        String dev = null;
        for (AddressPort.Device d : devices) {
            boolean fits = e.spec.device() != null ? d.name().equals(e.spec.device())
                    : d.subnets().stream().anyMatch(s -> s.prefixLength() == e.spec.cidr().prefixLength()
                    && s.contains(e.spec.cidr().address()));
            if (fits && d.serving()) {
                dev = d.name();
                break;
            }
        }
        switch (e.role) {
            case INELIGIBLE -> {
                if (dev != null && !e.removed) {
                    e.dev = dev;
                    setRole(e, Role.STANDBY, now);
                }
            }
            case STANDBY -> {
                if (dev == null) {
                    setRole(e, Role.INELIGIBLE, now);
                    e.dev = null;
                } else {
                    e.dev = dev;
                }
            }
            case ACQUIRING, RELEASING -> {
            }
            case OWNER -> {
                if (dev == null || !dev.equals(e.dev)) {
                    stepDown(e, "interface " + e.dev + " can no longer serve it (down, no carrier or not capturing)",
                            false);
                }
            }
        }
    }

    private void onTick(Election e, long now) {
        switch (e.role) {
            case INELIGIBLE, ACQUIRING, RELEASING -> {
            }
            case STANDBY -> {
                if (closing || e.removed || now < e.holdOffUntil || !e.takeable(now, identity())) {
                    return;
                }
                if (e.askAt < 0) {
                    boolean ours = e.seen.holder().equals(identity());
                    e.askAt = ours ? now : now + Rendezvous.headStartNanos(identity(), e.key,
                            timing.preferenceSpread().toNanos());
                }
                if (now >= e.askAt) {
                    acquire(e, now);
                }
            }
            case OWNER -> {
                if (now >= e.heldUntil) {
                    lost(e, now, "no successful renewal for " + timing.renewDeadline().toMillis() + " ms");
                } else if (!e.requestInFlight && now >= e.nextRenewAt) {
                    renew(e, now);
                }
            }
        }
    }

    // ------------------------------------------------------------------ store requests

    private void acquire(Election e, long sentAt) {
        log.debug("{}: asking for the lease ({})", e.key, e.seen);
        setRole(e, Role.ACQUIRING, sentAt);
        e.askAt = -1;
        answer(store.acquire(e.key, e.seen), claim -> acquired(e, sentAt, claim), err -> {
            log.debug("{}: acquiring failed: {}", e.key, err.toString());
            if (e.role == Role.ACQUIRING) {
                setRole(e, Role.STANDBY, clock.nanos());
                e.askAt = clock.nanos() + timing.retryPeriod().toNanos();
            }
        });
    }

    private void acquired(Election e, long sentAt, Claim c) {
        long now = clock.nanos();
        log.debug("{}: the store answered the request in {} ms: {}", e.key, (now - sentAt) / 1_000_000, c);
        switch (e.role) {
            case ACQUIRING -> {
                if (!c.held()) {
                    see(e, c.record(), now);
                    setRole(e, Role.STANDBY, now);
                    return;
                }
                e.held = c.record();
                setRole(e, Role.OWNER, now);
                if (e.removed || closing) {
                    stepDown(e, "removed while acquiring");
                    return;
                }
                confirmed(e, sentAt, now);
            }
            case INELIGIBLE, STANDBY, OWNER, RELEASING -> {
                // stepped down meanwhile: a lease taken after that is given back at once
                if (c.held() && e.role != Role.OWNER) {
                    answer(store.release(e.key, c.record()), v -> { }, err -> { });
                }
            }
        }
    }

    private void renew(Election e, long sentAt) {
        e.requestInFlight = true;
        e.nextRenewAt = sentAt + timing.retryPeriod().toNanos();
        answer(store.renew(e.key, e.held), c -> renewed(e, sentAt, c), err -> {
            e.requestInFlight = false;
            listener.renewFailed(e.key, err.toString());
            log.debug("{}: renewal failed: {}", e.key, err.toString());
        });
    }

    private void renewed(Election e, long sentAt, Claim c) {
        e.requestInFlight = false;
        long now = clock.nanos();
        switch (e.role) {
            case OWNER -> {
                if (!c.held()) {
                    listener.renewFailed(e.key, "lost to " + c.record().holder());
                    lost(e, now, "the lease was taken by " + c.record().holder());
                    see(e, c.record(), now);
                    return;
                }
                e.held = c.record();
                listener.renewed(e.key, now - sentAt);
                confirmed(e, sentAt, now);
            }
            case INELIGIBLE, STANDBY, ACQUIRING, RELEASING -> {
            }
        }
    }

    /**
     * A write sent at {@code sentAt} succeeded: this node may answer until {@code sentAt +
     * renewDeadline} (see {@link ElectionTiming}). An answer that arrives after that deadline
     * gives nothing: the address stays off until a renewal succeeds in time.
     */
    private void confirmed(Election e, long sentAt, long now) {
        long until = sentAt + timing.renewDeadline().toNanos();
        e.heldSentAt = sentAt;
        e.lastRenewOkAt = sentAt;
        e.heldUntil = Math.max(e.heldUntil, until);
        e.nextRenewAt = sentAt + timing.retryPeriod().toNanos();
        if (now >= until) {
            return;
        }
        if (!e.answering) {
            // the address and its first announcement (gratuitous ARP or unsolicited NA) go to the engine back to back, without
            // waiting for it in between: the frame follows the address in the engine's queue
            port.claim(e.dev, e.spec.cidr(), until);
            announcer.start(e.key, e.dev, e.spec.cidr().address(), e.spec.announce(), now);
            announcer.tick(now);
            e.answering = true;
            e.transitions++;
            listener.ownership(e.key, e.dev, true, "lease acquired");
            log.info("{}: this node ({}) owns it now, answering on {}", e.key, identity(), e.dev);
        } else {
            port.extend(e.dev, e.spec.cidr(), until);
        }
    }

    /** The deadline passed or another node holds it: stop answering, stand by again. */
    private void lost(Election e, long now, String why) {
        stopAnswering(e, why);
        e.held = null;
        e.heldUntil = Long.MIN_VALUE;
        setRole(e, Role.STANDBY, now);
        log.warn("{}: stopped answering: {}", e.key, why);
    }

    /**
     * Gives the address up on purpose: stop answering first (the engine has removed the address
     * when {@link AddressPort#unclaim} returns), then release the lease, so that no standby can
     * take it while this node still answers.
     */
    private CompletableFuture<Void> stepDown(Election e, String why) {
        return stepDown(e, why, true);
    }

    /**
     * @param holdOff whether this node then stays out for one lease duration: after a release that
     *                was asked for (API, shutdown), so that a standby gets the address and this
     *                node, perhaps the preferred one, does not take it straight back; not after
     *                its interface stopped serving, when it gave nothing up on purpose: once the
     *                link is back it is a candidate like any other, and with no preemption it can
     *                only take a free lease, so waiting would only leave the address unanswered
     */
    private CompletableFuture<Void> stepDown(Election e, String why, boolean holdOff) {
        long now = clock.nanos();
        switch (e.role) {
            case OWNER -> {
                stopAnswering(e, why);
                setRole(e, Role.RELEASING, now);
                log.info("{}: releasing ({})", e.key, why);
                CompletableFuture<Void> done = new CompletableFuture<>();
                answer(store.release(e.key, e.held), v -> {
                    log.debug("{}: released in the store", e.key);
                    released(e, holdOff);
                    done.complete(null);
                }, err -> {
                    log.warn("{}: release failed ({}); the lease expires for the others instead", e.key, err.toString());
                    released(e, holdOff);
                    done.complete(null);
                });
                return done;
            }
            case STANDBY, ACQUIRING -> {
                if (e.removed) {
                    setRole(e, Role.INELIGIBLE, now);
                }
                return null;
            }
            case INELIGIBLE, RELEASING -> {
                return null;
            }
        }
        return null;
    }

    private void released(Election e, boolean holdOff) {
        long now = clock.nanos();
        e.held = null;
        e.heldUntil = Long.MIN_VALUE;
        if (holdOff) {
            e.holdOffUntil = now + timing.leaseDuration().toNanos();
        }
        setRole(e, e.removed ? Role.INELIGIBLE : Role.STANDBY, now);
        forgetIfDone(e);
    }

    private void stopAnswering(Election e, String why) {
        announcer.stop(e.key);
        if (e.answering) {
            e.answering = false;
            e.transitions++;
            port.unclaim(e.dev, e.spec.cidr().address());
            listener.ownership(e.key, e.dev, false, why);
        }
    }

    private void forgetIfDone(Election e) {
        if (e.removed && (e.role == Role.INELIGIBLE || e.role == Role.STANDBY)) {
            elections.remove(e.key);
            store.unwatch(e.key);
        }
    }

    // ------------------------------------------------------------------ observations

    /** The store reported a version of {@code key}, first seen at {@code at}. */
    void observed(String key, LeaseRecord rec, long at) {
        log.debug("{}: the store shows {}", key, rec);
        Election e = elections.get(key);
        if (e != null) {
            see(e, rec, at);
            tick();
        }
    }

    private void see(Election e, LeaseRecord rec, long at) {
        if (e.seen != null && e.seen.version().equals(rec.version()) && e.seen.holder().equals(rec.holder())) {
            return;
        }
        e.seen = rec;
        e.seenAt = at;
        e.askAt = -1;
        switch (e.role) {
            case OWNER -> {
                // a version this node did not write, naming someone else: the store says we lost it
                if (!rec.isAbsent() && !rec.holder().equals(identity()) && e.held != null
                        && !rec.version().equals(e.held.version())) {
                    lost(e, at, "the store shows " + (rec.isFree() ? "no holder" : rec.holder()) + " holding it");
                }
            }
            case INELIGIBLE, STANDBY, ACQUIRING, RELEASING -> {
            }
        }
    }

    private void setRole(Election e, Role r, long now) {
        if (e.role != r) {
            e.role = r;
            e.since = now;
        }
    }

    private <T> void answer(CompletableFuture<T> f, Consumer<T> ok, Consumer<Throwable> failed) {
        f.whenComplete((v, err) -> callbacks.execute(() -> {
            if (err != null) {
                failed.accept(err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err);
            } else {
                ok.accept(v);
            }
        }));
    }
}
