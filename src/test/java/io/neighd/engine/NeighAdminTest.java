package io.neighd.engine;

import io.neighd.errno.Result;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.errno.Errno;
import io.neighd.neighbour.NeighFlags;
import io.neighd.neighbour.NeighSnapshot;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NudState;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.ArpOp;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.neighd.neighbour.NudState.DELAY;
import static io.neighd.neighbour.NudState.FAILED;
import static io.neighd.neighbour.NudState.INCOMPLETE;
import static io.neighd.neighbour.NudState.NONE;
import static io.neighd.neighbour.NudState.NUD_NOARP;
import static io.neighd.neighbour.NudState.NUD_NONE;
import static io.neighd.neighbour.NudState.NUD_PERMANENT;
import static io.neighd.neighbour.NudState.NUD_REACHABLE;
import static io.neighd.neighbour.NudState.NUD_STALE;
import static io.neighd.neighbour.NudState.PERMANENT;
import static io.neighd.neighbour.NudState.REACHABLE;
import static io.neighd.neighbour.NudState.STALE;
import static io.neighd.testkit.EngineFixture.OTHER_MAC;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ip neigh add | change | replace | del | flush | show} and proxy entries, as neigh_add(),
 * neigh_delete() (net/core/neighbour.c) and iproute2's ip/ipneigh.c drive them. iproute2 sends
 * NLM_F_CREATE|NLM_F_EXCL for add, NLM_F_REPLACE for change, NLM_F_CREATE|NLM_F_REPLACE for replace,
 * and {@code ndm_state = NUD_PERMANENT} unless {@code nud} says otherwise.
 *
 * <pre>
 * | Command                                  | Existing entry | Result                                                          | Mirrors             |
 * |------------------------------------------|----------------|-----------------------------------------------------------------|---------------------|
 * | add ADDR lladdr L                        | none           | PERMANENT, exempt from GC, NEWNEIGH                             | neigh_add           |
 * | add                                      | any            | EEXIST, unchanged                                               | neigh_add           |
 * | change                                   | none           | ENOENT, nothing created                                         | neigh_add           |
 * | change / replace                         | VALID          | address and state replaced (OVERRIDE)                           | __neigh_update      |
 * | add ADDR (no lladdr)                     | none           | EINVAL, the created entry stays behind in NONE                  | __neigh_update      |
 * | change nud reachable (no lladdr)         | VALID          | cached address kept                                             | __neigh_update      |
 * | add ... router / replace without         | -              | NTF_ROUTER set / cleared                                        | neigh_update_is_rtr |
 * | add ... extern_learn                     | -              | NTF_EXT_LEARNED, not in gc_entries                              | neigh_update_gc_list|
 * | add ... managed nud permanent            | none           | EINVAL "Invalid NTF_* flag for permanent entry"                 | neigh_add           |
 * | add ... managed nud none                 | none           | resolved at once, then by neigh_managed_work every interval     | neigh_managed_work  |
 * | add ... use                              | none / STALE   | PERMANENT cleared, neigh_event_send: INCOMPLETE / DELAY         | neigh_add           |
 * | add ... extern_valid                     | none           | needs a VALID state and neither use nor managed                 | neigh_add           |
 * | replace ... extern_valid                 | FAILED         | EINVAL with use (state stays invalid); OK with nud stale        | neigh_add           |
 * | del                                      | any            | update to FAILED (invalidate if resolving), removed, DELNEIGH   | neigh_delete        |
 * | flush dev D                              | -              | all but PERMANENT and NOARP (FAILED too, in iproute2's round 1) | ipneigh.c           |
 * | flush nud S                              | -              | only state S                                                    | ipneigh.c           |
 * | show                                     | -              | 0xFF & ~NOARP: NOARP and NONE hidden                            | ipneigh.c           |
 * | add proxy ADDR [dev D] / del proxy       | -              | pneigh_create (matches a device-less entry) / exact delete      | pneigh_create       |
 * </pre>
 */
class NeighAdminTest {
    private static final String US = "10.0.0.1";
    private static final String PEER = "10.0.0.2";
    private static final String ADDR = "10.0.0.9";

    private EngineFixture fx;
    private NeighAdmin admin;
    private long start;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        admin = fx.engine.admin();
        start = fx.now();
    }

    // ------------------------------------------------------------------ step helpers

    private static NeighAdmin.Request req(NetDevice dev, String ip, MacAddress lladdr, int state, int flags,
                                          boolean use) {
        return new NeighAdmin.Request(dev, ip(ip), lladdr == null ? Neighbour.NO_LLADDR : lladdr.bits(), state, flags,
                use);
    }

    private Result<Void> add(String ip, MacAddress lladdr, int state, int flags) {
        return admin.add(req(fx.nd0, ip, lladdr, state, flags, false), NeighAdmin.Mode.ADD);
    }

    /** {@code ip neigh add IP lladdr L dev nd0}: iproute2 defaults to nud permanent. */
    private Result<Void> ipNeighAdd(String ip, MacAddress lladdr) {
        return add(ip, lladdr, NUD_PERMANENT, 0);
    }

    private Result<Void> change(String ip, MacAddress lladdr, int state, int flags) {
        return admin.add(req(fx.nd0, ip, lladdr, state, flags, false), NeighAdmin.Mode.CHANGE);
    }

    private Result<Void> replace(String ip, MacAddress lladdr, int state, int flags, boolean use) {
        return admin.add(req(fx.nd0, ip, lladdr, state, flags, use), NeighAdmin.Mode.REPLACE);
    }

    private void learn(String ip) {
        fx.receive(request(PEER_MAC, ip, US));
        assertThat(fx.state(ip)).isEqualTo(STALE);
    }

    private void at(long relativeJiffy) {
        fx.advanceJiffies(start + relativeJiffy - fx.now());
    }

    private void clear() {
        fx.tx.clear();
        fx.events.clear();
    }

    // ------------------------------------------------------------------ add / change / replace

    @Test
    void addCreatesAPermanentEntryExemptFromGc() {
        Result<Void> r = ipNeighAdd(ADDR, PEER_MAC);

        assertThat(r.ok()).isTrue();
        Neighbour n = fx.entry(ADDR);
        assertThat(n.nudState()).isEqualTo(PERMANENT);
        assertThat(n.ha()).isEqualTo(PEER_MAC.bits());
        assertThat(n.confirmed()).as("CONNECTED: confirmed = now").isEqualTo(start);
        assertThat(n.timerPending()).isFalse();
        assertThat(fx.engine.table().gcEntries()).isZero();
        assertThat(fx.engine.table().entries()).isEqualTo(1);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.9 PERMANENT");
        assertThat(fx.tx.all()).isEmpty();
    }

    @Test
    void addOfAnExistingEntryIsEexist() {
        learn(PEER);
        clear();

        Result<Void> r = ipNeighAdd(PEER, OTHER_MAC);

        assertThat(r.errno()).isEqualTo(Errno.EEXIST);
        assertThat(fx.state(PEER)).isEqualTo(STALE);
        assertThat(fx.entry(PEER).ha()).isEqualTo(PEER_MAC.bits());
        assertThat(fx.events.events()).isEmpty();
    }

    @Test
    void changeOfAMissingEntryIsEnoentAndCreatesNothing() {
        Result<Void> r = change(ADDR, PEER_MAC, NUD_PERMANENT, 0);

        assertThat(r.errno()).isEqualTo(Errno.ENOENT);
        assertThat(fx.entry(ADDR)).isNull();
        assertThat(fx.engine.stats().allocs).isZero();
    }

    @Test
    void changeReplacesAddressAndState() {
        learn(PEER);
        fx.advanceJiffies(10);
        clear();

        Result<Void> r = change(PEER, OTHER_MAC, NUD_REACHABLE, 0);

        assertThat(r.ok()).isTrue();
        Neighbour n = fx.entry(PEER);
        assertThat(n.nudState()).isEqualTo(REACHABLE);
        assertThat(n.ha()).isEqualTo(OTHER_MAC.bits());
        assertThat(n.confirmed()).isEqualTo(start + 10);
        assertThat(n.timerFireAt()).isEqualTo(start + 10 + 7500 + 1);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 REACHABLE");
    }

    @Test
    void replaceCreatesWhenMissingAndOverridesWhenPresent() {
        assertThat(replace(ADDR, PEER_MAC, NUD_STALE, 0, false).ok()).isTrue();
        assertThat(fx.state(ADDR)).isEqualTo(STALE);
        assertThat(fx.engine.table().gcEntries()).as("not permanent: on the gc list").isEqualTo(1);

        assertThat(replace(ADDR, OTHER_MAC, NUD_PERMANENT, 0, false).ok()).isTrue();

        assertThat(fx.state(ADDR)).isEqualTo(PERMANENT);
        assertThat(fx.entry(ADDR).ha()).isEqualTo(OTHER_MAC.bits());
        assertThat(fx.engine.table().gcEntries()).isZero();
        assertThat(fx.engine.stats().allocs).isEqualTo(1);
    }

    /** __neigh_update(): no lladdr and the entry not VALID is EINVAL; neigh_add() has already created it. */
    @Test
    void addWithoutLladdrIsEinvalAndLeavesANoneEntryBehind() {
        Result<Void> r = add(ADDR, null, NUD_PERMANENT, 0);

        assertThat(r.errno()).isEqualTo(Errno.EINVAL);
        assertThat(r.message()).isEqualTo("No link layer address given");
        assertThat(fx.state(ADDR)).isEqualTo(NONE);
        assertThat(fx.events.events()).isEmpty();
        assertThat(fx.engine.table().entries()).isEqualTo(1);
        // created exempt (nud permanent was asked for), but __neigh_update() reaches out: with new (PERMANENT)
        // differing from old (NONE) in NUD_PERMANENT, and neigh_update_gc_list() puts the NONE entry on the list
        assertThat(fx.engine.table().gcEntries()).isEqualTo(1);
        assertThat(fx.engine.neighbours(fx.nd0, 0xff & ~NUD_NOARP)).as("ip neigh show hides NONE").isEmpty();
        assertThat(fx.engine.neighbours(fx.nd0, 0x100)).extracting(NeighSnapshot::state).containsExactly(NONE);

        assertThat(ipNeighAdd(ADDR, PEER_MAC).errno()).as("the leftover makes a second add EEXIST")
                .isEqualTo(Errno.EEXIST);
        assertThat(replace(ADDR, PEER_MAC, NUD_PERMANENT, 0, false).ok()).isTrue();
        assertThat(fx.state(ADDR)).isEqualTo(PERMANENT);
    }

    /** The leftover NONE entry is not in a timer state: periodic GC takes it after gc_stale_time. */
    @Test
    void theLeftoverNoneEntryIsCollectedByPeriodicGc() {
        fx.sysctl("net.ipv4.neigh.default.gc_thresh1", 0);
        add(ADDR, null, NUD_PERMANENT, 0);
        fx.events.clear();

        at(11252);
        assertThat(fx.state(ADDR)).isEqualTo(NONE);
        at(15003);

        assertThat(fx.entry(ADDR)).as("used at start, 15003 >= start + 15000").isNull();
        assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.0.9 NONE");
    }

    @Test
    void withoutLladdrAValidEntryKeepsItsAddress() {
        learn(PEER);

        Result<Void> r = change(PEER, null, NUD_PERMANENT, 0);

        assertThat(r.ok()).isTrue();
        assertThat(fx.state(PEER)).isEqualTo(PERMANENT);
        assertThat(fx.entry(PEER).ha()).isEqualTo(PEER_MAC.bits());
    }

    @Test
    void routerFlagIsSetAndClearedByReplace() {
        assertThat(add(ADDR, PEER_MAC, NUD_STALE, NeighFlags.ROUTER).ok()).isTrue();
        assertThat(fx.entry(ADDR).isRouter()).isTrue();
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).router()).isTrue();
        fx.events.clear();

        assertThat(replace(ADDR, PEER_MAC, NUD_STALE, 0, false).ok()).isTrue();

        assertThat(fx.entry(ADDR).isRouter()).isFalse();
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).router()).isFalse();
        assertThat(fx.events.events()).as("only the flag changed: still notified")
                .containsExactly("NEWNEIGH 10.0.0.9 STALE");
    }

    @Test
    void externLearnIsExemptFromGcUntilReplacedWithoutIt() {
        assertThat(add(ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_LEARNED).ok()).isTrue();
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).externLearn()).isTrue();
        assertThat(fx.engine.table().gcEntries()).isZero();
        fx.events.clear();

        assertThat(replace(ADDR, PEER_MAC, NUD_STALE, 0, false).ok()).isTrue();

        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).externLearn()).isFalse();
        assertThat(fx.engine.table().gcEntries()).isEqualTo(1);
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.9 STALE");
    }

    // ------------------------------------------------------------------ managed, use

    @Nested
    class Managed {
        @Test
        void refusedWithPermanent() {
            Result<Void> r = add(ADDR, PEER_MAC, NUD_PERMANENT, NeighFlags.MANAGED);

            assertThat(r.errno()).isEqualTo(Errno.EINVAL);
            assertThat(r.message()).isEqualTo("Invalid NTF_* flag for permanent entry");
            assertThat(fx.entry(ADDR)).isNull();
            assertThat(fx.engine.stats().allocs).isZero();
        }

        /**
         * neigh_add() resolves at once (neigh_event_send); neigh_managed_work() runs at table init and
         * then every interval_probe_time_ms (1250 jiffies, run at +1) with immediate_ok = false.
         */
        @Test
        void reResolvedEveryIntervalProbeTime() {
            assertThat(add(ADDR, null, NUD_NONE, NeighFlags.MANAGED).ok()).isTrue();
            assertThat(fx.state(ADDR)).isEqualTo(INCOMPLETE);
            assertThat(fx.tx.arp()).hasSize(1);
            assertThat(fx.events.events()).as("flags unchanged, NONE kept: nothing to notify").isEmpty();
            at(753);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            fx.tx.clear();

            at(1250);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            at(1251);
            assertThat(fx.state(ADDR)).isEqualTo(INCOMPLETE);
            assertThat(fx.entry(ADDR).used()).isEqualTo(start + 1251);
            assertThat(fx.tx.arp()).as("immediate_ok = false: no probe yet").isEmpty();
            assertThat(fx.entry(ADDR).timerFireAt()).isEqualTo(start + 1253);
            at(1253);
            assertThat(fx.tx.arp()).hasSize(1);

            at(2005);
            assertThat(fx.state(ADDR)).as("probes at 1253, 1504, 1755").isEqualTo(INCOMPLETE);
            at(2006);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            at(2501);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            at(2502);
            assertThat(fx.state(ADDR)).isEqualTo(INCOMPLETE);
        }

        /** The period is the table default's interval_probe_time_ms, read each time the work re-queues itself. */
        @Test
        void theIntervalIsTheTableDefaults() {
            fx.sysctl("net.ipv4.neigh.default.interval_probe_time_ms", 2000);
            add(ADDR, null, NUD_NONE, NeighFlags.MANAGED);
            at(753);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);

            at(1251);
            assertThat(fx.state(ADDR)).as("queued at init with the old 5000 ms").isEqualTo(INCOMPLETE);
            at(2006);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            at(1251 + 501 + 500);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);
            at(1251 + 501 + 501);
            assertThat(fx.state(ADDR)).as("1251 + 500 + 1, then + 500 + 1").isEqualTo(INCOMPLETE);
        }

        @Test
        void aReachableManagedEntryIsOnlyMarkedUsed() {
            add(ADDR, null, NUD_NONE, NeighFlags.MANAGED);
            fx.receive(reply(PEER_MAC, ADDR, US));
            assertThat(fx.state(ADDR)).isEqualTo(REACHABLE);

            at(1251);

            assertThat(fx.state(ADDR)).isEqualTo(REACHABLE);
            assertThat(fx.entry(ADDR).used()).isEqualTo(start + 1251);
        }
    }

    /**
     * neigh_update_managed_list(): NTF_MANAGED set by a replace of an existing entry puts it on the
     * managed list, and a replace without it takes it off; neigh_managed_work() then stamps only the
     * managed ones.
     */
    @Test
    void managedSetAndClearedOnAnExistingEntry() {
        learn(ADDR);
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).managed()).isFalse();

        assertThat(replace(ADDR, PEER_MAC, NUD_STALE, NeighFlags.MANAGED, false).ok()).isTrue();
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).managed()).isTrue();
        at(1251);
        assertThat(fx.entry(ADDR).used()).as("re-resolved by the managed work").isEqualTo(start + 1251);

        assertThat(replace(ADDR, PEER_MAC, NUD_STALE, 0, false).ok()).isTrue();
        assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).managed()).isFalse();
        at(2502);
        assertThat(fx.entry(ADDR).used()).as("no longer managed").isEqualTo(start + 1251);
    }

    @Test
    void useOnAMissingEntryClearsPermanentAndResolves() {
        Result<Void> r = admin.add(req(fx.nd0, ADDR, null, NUD_PERMANENT, 0, true), NeighAdmin.Mode.ADD);

        assertThat(r.ok()).isTrue();
        assertThat(fx.state(ADDR)).isEqualTo(INCOMPLETE);
        assertThat(fx.tx.arp()).singleElement().satisfies(s -> assertThat(s.arp().op()).isEqualTo(ArpOp.REQUEST));
        assertThat(fx.engine.table().gcEntries()).as("created exempt because nud permanent was asked for").isZero();
        assertThat(fx.events.events()).isEmpty();
    }

    @Test
    void useOnAStaleEntryStartsTheDelay() {
        learn(PEER);
        clear();

        Result<Void> r = replace(PEER, null, NUD_PERMANENT, 0, true);

        assertThat(r.ok()).isTrue();
        assertThat(fx.state(PEER)).isEqualTo(DELAY);
        assertThat(fx.entry(PEER).timerFireAt()).isEqualTo(start + 1250 + 1);
        assertThat(fx.tx.all()).isEmpty();
    }

    // ------------------------------------------------------------------ extern_valid

    @Nested
    class ExternValid {
        @Test
        void creationNeedsAValidState() {
            Result<Void> r = add(ADDR, PEER_MAC, NUD_NONE, NeighFlags.EXT_VALIDATED);

            assertThat(r.errno()).isEqualTo(Errno.EINVAL);
            assertThat(r.message()).isEqualTo("Cannot create externally validated neighbor with an invalid state");
            assertThat(fx.entry(ADDR)).isNull();
        }

        @Test
        void creationWithUseOrManagedCountsAsNone() {
            Result<Void> use = admin.add(req(fx.nd0, ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_VALIDATED, true),
                    NeighAdmin.Mode.ADD);
            Result<Void> managed = add(ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_VALIDATED | NeighFlags.MANAGED);

            assertThat(use.errno()).isEqualTo(Errno.EINVAL);
            assertThat(managed.errno()).isEqualTo(Errno.EINVAL);
            assertThat(fx.engine.table().entries()).isZero();
        }

        @Test
        void createdStaleItIsExemptFromGc() {
            assertThat(add(ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_VALIDATED).ok()).isTrue();

            assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).externValid()).isTrue();
            assertThat(fx.engine.table().gcEntries()).isZero();
        }

        @Test
        void markingAFailedEntryNeedsAValidNewState() {
            fx.send(US, ADDR);
            at(753);
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);

            Result<Void> withUse = replace(ADDR, null, NUD_PERMANENT, NeighFlags.EXT_VALIDATED, true);
            assertThat(withUse.errno()).isEqualTo(Errno.EINVAL);
            assertThat(withUse.message()).isEqualTo("Cannot mark neighbor as externally validated with an invalid state");
            assertThat(fx.state(ADDR)).isEqualTo(FAILED);

            Result<Void> stale = replace(ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_VALIDATED, false);
            assertThat(stale.ok()).isTrue();
            assertThat(fx.state(ADDR)).isEqualTo(STALE);
            assertThat(fx.engine.table().gcEntries()).isZero();
        }

        @Test
        void useOnAValidEntryIsAccepted() {
            learn(PEER);

            Result<Void> r = replace(PEER, null, NUD_PERMANENT, NeighFlags.EXT_VALIDATED, true);

            assertThat(r.ok()).isTrue();
            assertThat(fx.state(PEER)).isEqualTo(DELAY);
            assertThat(fx.engine.neighbour(fx.nd0, ip(PEER)).externValid()).isTrue();
        }

        @Test
        void replacingWithoutTheFlagClearsIt() {
            add(ADDR, PEER_MAC, NUD_STALE, NeighFlags.EXT_VALIDATED);

            assertThat(replace(ADDR, PEER_MAC, NUD_STALE, 0, false).ok()).isTrue();

            assertThat(fx.engine.neighbour(fx.nd0, ip(ADDR)).externValid()).isFalse();
            assertThat(fx.engine.table().gcEntries()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ del

    @Nested
    class Delete {
        @Test
        void aReachableEntryIsFailedThenRemoved() {
            fx.send(US, PEER);
            fx.receive(reply(PEER_MAC, PEER, US));
            clear();
            long lookups = fx.engine.stats().lookups;

            Result<Void> r = admin.delete(fx.nd0, ip(PEER));

            assertThat(r.ok()).isTrue();
            assertThat(fx.entry(PEER)).isNull();
            assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED", "DELNEIGH 10.0.0.2 FAILED");
            assertThat(fx.engine.stats().destroys).isEqualTo(1);
            assertThat(fx.engine.stats().resFailed).as("REACHABLE → FAILED is no failed resolution").isZero();
            assertThat(fx.engine.stats().lookups - lookups).as("neigh_lookup").isEqualTo(1);
        }

        @Test
        void anIncompleteEntryIsInvalidated() {
            fx.send(US, PEER);
            fx.send(US, PEER);
            clear();

            admin.delete(fx.nd0, ip(PEER));

            assertThat(fx.engine.stats().resFailed).isEqualTo(1);
            assertThat(fx.linkFailures).hasSize(2);
            assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.2 FAILED", "DELNEIGH 10.0.0.2 FAILED");
        }

        @Test
        void aPermanentEntryCanBeDeleted() {
            ipNeighAdd(ADDR, PEER_MAC);

            assertThat(admin.delete(fx.nd0, ip(ADDR)).ok()).isTrue();

            assertThat(fx.entry(ADDR)).isNull();
            assertThat(fx.engine.table().gcEntries()).isZero();
            assertThat(fx.engine.table().entries()).isZero();
        }

        @Test
        void aMissingEntryIsEnoent() {
            assertThat(admin.delete(fx.nd0, ip(ADDR)).errno()).isEqualTo(Errno.ENOENT);
        }
    }

    // ------------------------------------------------------------------ flush and show

    @Nested
    class FlushAndShow {
        private NetDevice nd1;

        /**
         * nd0: .25 PROBE, .26 FAILED, then at 1251 .20 NONE, .21 INCOMPLETE, .22 REACHABLE, .23 STALE,
         * .24 DELAY, 10.0.0.255 NOARP, .27 PERMANENT; nd1: 10.1.0.2 STALE.
         */
        @BeforeEach
        void everyState() {
            nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
            fx.send(US, "10.0.0.26");
            learn("10.0.0.25");
            fx.send(US, "10.0.0.25");
            at(1251);
            add("10.0.0.20", null, NUD_PERMANENT, 0);
            fx.send(US, "10.0.0.21");
            fx.send(US, "10.0.0.22");
            fx.receive(reply(PEER_MAC, "10.0.0.22", US));
            learn("10.0.0.23");
            learn("10.0.0.24");
            fx.send(US, "10.0.0.24");
            fx.send(US, "10.0.0.255");
            ipNeighAdd("10.0.0.27", PEER_MAC);
            fx.receive(nd1, request(PEER_MAC, "10.1.0.2", "10.1.0.1"));
            assertThat(states(0x1ff)).containsExactly("10.0.0.20 NONE", "10.0.0.21 INCOMPLETE", "10.0.0.22 REACHABLE",
                    "10.0.0.23 STALE", "10.0.0.24 DELAY", "10.0.0.25 PROBE", "10.0.0.255 NOARP", "10.0.0.26 FAILED",
                    "10.0.0.27 PERMANENT", "10.1.0.2 STALE");
            clear();
        }

        private List<String> states(int mask) {
            return fx.engine.neighbours(null, mask).stream().map(s -> s.dst() + " " + s.state()).sorted().toList();
        }

        @Test
        void showHidesNoarpAndNoneByDefault() {
            assertThat(states(0xff & ~NUD_NOARP)).containsExactly("10.0.0.21 INCOMPLETE", "10.0.0.22 REACHABLE",
                    "10.0.0.23 STALE", "10.0.0.24 DELAY", "10.0.0.25 PROBE", "10.0.0.26 FAILED", "10.0.0.27 PERMANENT",
                    "10.1.0.2 STALE");
            assertThat(fx.engine.neighbours(nd1, 0xff & ~NUD_NOARP)).singleElement()
                    .satisfies(s -> assertThat(s.dev()).isEqualTo("nd1"));
        }

        /** iproute2's filter lets extern_learn entries through whatever their state. */
        @Test
        void externLearnEntriesAreShownWhateverTheStateFilter() {
            assertThat(admin.add(req(fx.nd0, "10.0.0.40", PEER_MAC, NUD_STALE, NeighFlags.EXT_LEARNED, false),
                    NeighAdmin.Mode.ADD).ok()).isTrue();

            assertThat(fx.engine.neighbours(fx.nd0, NUD_REACHABLE)).extracting(s -> s.dst().toString())
                    .containsExactlyInAnyOrder("10.0.0.22", "10.0.0.40");
        }

        @Test
        void showHasTheAddressOnlyForValidStates() {
            assertThat(fx.engine.neighbour(fx.nd0, ip("10.0.0.21")).lladdr()).isNull();
            assertThat(fx.engine.neighbour(fx.nd0, ip("10.0.0.26")).lladdr()).isNull();
            assertThat(fx.engine.neighbour(fx.nd0, ip("10.0.0.23")).lladdr()).isEqualTo(PEER_MAC);
            assertThat(fx.engine.neighbour(fx.nd0, ip("10.0.0.255")).lladdr()).isEqualTo(MacAddress.BROADCAST);
        }

        @Test
        void flushKeepsPermanentAndNoarpByDefault() {
            int flushed = admin.flush(fx.nd0, 0);

            assertThat(flushed).isEqualTo(7);
            assertThat(states(0x1ff)).containsExactly("10.0.0.255 NOARP", "10.0.0.27 PERMANENT", "10.1.0.2 STALE");
            assertThat(fx.events.events().stream().filter(e -> e.startsWith("DELNEIGH"))).hasSize(7);
            assertThat(fx.engine.stats().resFailed).as(".26 earlier, then .21 and .25 resolving when deleted")
                    .isEqualTo(3);
        }

        @Test
        void aNamedStateFlushesOnlyThatState() {
            assertThat(admin.flush(fx.nd0, NudState.NUD_FAILED)).isEqualTo(1);
            assertThat(fx.entry("10.0.0.26")).isNull();
            assertThat(fx.engine.table().entries()).isEqualTo(9);

            assertThat(admin.flush(null, NUD_STALE)).isEqualTo(2);
            assertThat(states(0x1ff)).doesNotContain("10.0.0.23 STALE", "10.1.0.2 STALE").hasSize(7);

            assertThat(admin.flush(fx.nd0, 0x100)).as("nud none").isEqualTo(1);
            assertThat(fx.entry("10.0.0.20")).isNull();
        }

        @Test
        void flushOfOneDeviceLeavesTheOthers() {
            assertThat(admin.flush(nd1, 0)).isEqualTo(1);
            assertThat(fx.engine.neighbours(nd1, 0x1ff)).isEmpty();
            assertThat(fx.engine.neighbours(fx.nd0, 0x1ff)).hasSize(9);
        }
    }

    @Test
    void cacheinfoAgesAreInJiffies() {
        learn(PEER);
        fx.advanceJiffies(100);

        NeighSnapshot s = fx.engine.neighbour(fx.nd0, ip(PEER));

        assertThat(s.usedAgo()).isEqualTo(100);
        assertThat(s.updatedAgo()).isEqualTo(100);
        assertThat(s.confirmedAgo()).as("backdated 2·base_reachable_time").isEqualTo(100 + 15000);
        assertThat(s.refcnt()).isZero();
        assertThat(s.probes()).isZero();
        fx.send(US, PEER);
        assertThat(fx.engine.neighbour(fx.nd0, ip(PEER)).refcnt()).as("DELAY: the timer holds one").isEqualTo(1);
    }

    // ------------------------------------------------------------------ proxy entries

    @Nested
    class Proxy {
        private List<String> proxies() {
            return fx.engine.table().pneighs().stream()
                    .map(p -> p.key() + " " + (p.devName() == null ? "*" : p.devName()) + (p.permanent() ? " permanent" : ""))
                    .sorted().toList();
        }

        @Test
        void addAndDelete() {
            admin.addProxy(ip("10.1.0.5"), fx.nd0, false);
            assertThat(proxies()).containsExactly("10.1.0.5 nd0");

            assertThat(admin.deleteProxy(ip("10.1.0.5"), fx.nd0).ok()).isTrue();
            assertThat(proxies()).isEmpty();
            Result<Void> again = admin.deleteProxy(ip("10.1.0.5"), fx.nd0);
            assertThat(again.errno()).isEqualTo(Errno.ENOENT);
        }

        /** pneigh_create() finds an existing entry and updates its permanent flag. */
        @Test
        void addingAgainUpdatesThePermanentFlag() {
            assertThat(admin.addProxy(ip("10.1.0.5"), fx.nd0, false).permanent()).isFalse();
            assertThat(admin.addProxy(ip("10.1.0.5"), fx.nd0, true).permanent()).as("the entry as updated").isTrue();

            assertThat(proxies()).containsExactly("10.1.0.5 nd0 permanent");
        }

        /** pneigh_delete() wants the exact device: a device-less delete does not remove a device's entry. */
        @Test
        void deleteMatchesTheDeviceExactly() {
            admin.addProxy(ip("10.1.0.5"), fx.nd0, false);

            assertThat(admin.deleteProxy(ip("10.1.0.5"), null).errno()).isEqualTo(Errno.ENOENT);
            assertThat(proxies()).containsExactly("10.1.0.5 nd0");
        }

        /**
         * pneigh_create() looks up with pneigh_lookup(), which also matches an entry without a device:
         * adding ADDR dev nd0 next to a device-less ADDR updates the device-less one.
         */
        @Test
        void aDeviceLessEntryAbsorbsAnAddWithDevice() {
            admin.addProxy(ip("10.1.0.5"), null, false);

            admin.addProxy(ip("10.1.0.5"), fx.nd0, true);

            assertThat(proxies()).containsExactly("10.1.0.5 * permanent");
            assertThat(admin.deleteProxy(ip("10.1.0.5"), fx.nd0).errno()).isEqualTo(Errno.ENOENT);
            assertThat(admin.deleteProxy(ip("10.1.0.5"), null).ok()).isTrue();
        }

        @Test
        void aDeviceEntryDoesNotAbsorbADeviceLessAdd() {
            admin.addProxy(ip("10.1.0.5"), fx.nd0, false);

            admin.addProxy(ip("10.1.0.5"), null, false);

            assertThat(proxies()).containsExactly("10.1.0.5 *", "10.1.0.5 nd0");
        }
    }

    @Test
    void addingOnAnotherDeviceIsAnotherEntry() {
        NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
        ipNeighAdd(ADDR, PEER_MAC);

        assertThat(admin.add(req(nd1, ADDR, OTHER_MAC, NUD_PERMANENT, 0, false), NeighAdmin.Mode.ADD).ok()).isTrue();

        assertThat(fx.engine.table().entries()).isEqualTo(2);
        assertThat(fx.engine.neighbour(nd1, ip(ADDR)).lladdr()).isEqualTo(OTHER_MAC);
        assertThat(fx.send(US, ADDR)).as("the route picks nd0's entry").isEqualTo(Ipv4Output.Result.SENT);
        assertThat(fx.tx.ipv4()).singleElement().satisfies(s -> assertThat(s.ethDst()).isEqualTo(PEER_MAC));
    }
}
