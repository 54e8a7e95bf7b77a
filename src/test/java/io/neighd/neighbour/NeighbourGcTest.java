package io.neighd.neighbour;

import io.neighd.errno.Result;
import io.neighd.arp.Reason;
import io.neighd.engine.NeighAdmin;
import io.neighd.ip.Ipv4Output;
import io.neighd.ip.NetDevice;
import io.neighd.ip.RouteSpec;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.Ipv4Address;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static io.neighd.neighbour.NudState.FAILED;
import static io.neighd.neighbour.NudState.NOARP;
import static io.neighd.neighbour.NudState.PERMANENT;
import static io.neighd.neighbour.NudState.REACHABLE;
import static io.neighd.neighbour.NudState.STALE;
import static io.neighd.testkit.EngineFixture.PEER_MAC;
import static io.neighd.testkit.EngineFixture.ip;
import static io.neighd.testkit.EngineFixture.reply;
import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage collection of the ARP table exactly as net/core/neighbour.c does it, on the manual clock
 * at HZ 250 (a jiffy is 4 ms; a timer armed for jiffy {@code e} runs at {@code e + 1}). The table
 * starts at {@code start}; with the scripted random at its midpoint reachable_time is 7500 jiffies,
 * so the periodic work first runs at {@code start + 7501} and then every 3750 + 1 jiffies.
 *
 * <pre>
 * | Trigger        | Condition                                                   | Result                                          | Mirrors                   |
 * |----------------|-------------------------------------------------------------|-------------------------------------------------|---------------------------|
 * | periodic work  | first after the default parms' reachable_time, then every   | periodic_gc_runs++ on every run                 | neigh_table_init,         |
 * |                | base_reachable_time/2                                       |                                                 | neigh_periodic_work       |
 * | periodic work  | entries < gc_thresh1, PERMANENT ones counted                | nothing removed                                 | neigh_periodic_work       |
 * | periodic work  | FAILED, however recently used                               | removed, RTM_DELNEIGH                           | neigh_periodic_work       |
 * | periodic work  | now >= used + gc_stale_time                                 | removed (kept one jiffy earlier)                | time_in_range_open        |
 * | periodic work  | confirmed later than used                                   | used lifted to confirmed first, so kept         | neigh_periodic_work       |
 * | periodic work  | PERMANENT, a timer state, extern_learn, extern_valid        | kept whatever their age                         | neigh_periodic_work       |
 * | periodic work  | more than 300 s after last_rand (first: 20·reachable_time)  | every parms' reachable_time re-randomised       | neigh_periodic_work       |
 * | periodic work  | exactly 300 s after last_rand                               | not yet: time_after is strict                   | neigh_periodic_work       |
 * | periodic work  | a device unregistered                                       | its parms no longer re-randomised               | neigh_parms_release       |
 * | periodic work  | entry created earlier in the same jiffy (used = now)        | kept: time_in_range_open includes used          | neigh_periodic_work       |
 * | allocation     | gc_entries >= gc_thresh3, nothing freeable                  | table_fulls++, ENOBUFS: request not answered    | neigh_alloc               |
 * | allocation     | gc_entries >= gc_thresh3, entries not updated for 5 s       | oldest first, gc_entries - gc_thresh2 of them   | neigh_forced_gc           |
 * | allocation     | gc_entries >= gc_thresh2, last_flush more than 5 s ago      | forced GC                                       | neigh_alloc               |
 * | allocation     | gc_entries >= gc_thresh2, last_flush 5 s ago or less        | no GC, allocation proceeds                      | neigh_alloc               |
 * | forced GC      | FAILED, NOARP, multicast, even just updated                 | removed                                         | neigh_forced_gc           |
 * | forced GC      | entry with an armed timer (refcnt > 1)                      | kept, not counted                               | neigh_forced_gc           |
 * | forced GC      | old entries all holding timers                              | table full, and explain predicts it             | neigh_forced_gc           |
 * | forced GC      | a multicast key made STALE by hand, just updated            | removed                                         | neigh_forced_gc           |
 * | forced GC      | an entry deleted earlier                                    | off the gc list: not counted as freeable        | neigh_mark_dead           |
 * | allocation     | PERMANENT, extern_learn, loopback device                    | not in gc_entries, never forced out             | ___neigh_create           |
 * | update         | PERMANENT becomes STALE                                     | joins the gc list, counted again                | neigh_update_gc_list      |
 * | update         | a learned entry made PERMANENT                              | leaves the gc list: forced GC never takes it    | neigh_update_gc_list      |
 * | update         | only NTF_MANAGED changes on a loopback entry                | stays off the gc list                           | neigh_update_flags        |
 * | creation       | entries > hash buckets (8 at start)                         | hash_grows++, buckets doubled                   | ___neigh_create           |
 * </pre>
 */
class NeighbourGcTest {
    private static final String US = "10.0.0.1";
    private static final MacAddress MAC_A = MacAddress.parse("02:bb:00:00:00:0a");

    private EngineFixture fx;
    private NeighbourTable tbl;
    private NeighStatistics stats;
    private long start;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        tbl = fx.engine.table();
        stats = fx.engine.stats();
        start = fx.now();
    }

    // ------------------------------------------------------------------ step helpers

    private void at(long relativeJiffy) {
        long target = start + relativeJiffy;
        assertThat(target).as("time only moves forward").isGreaterThanOrEqualTo(fx.now());
        fx.advanceJiffies(target - fx.now());
    }

    private void sysctl(String key, long value) {
        fx.sysctl(key, value);
    }

    private void thresholds(int t1, int t2, int t3) {
        sysctl("net.ipv4.neigh.default.gc_thresh1", t1);
        sysctl("net.ipv4.neigh.default.gc_thresh2", t2);
        sysctl("net.ipv4.neigh.default.gc_thresh3", t3);
    }

    /** neigh_event_ns(): a request for us from {@code ip} teaches its address, STALE. */
    private Reason learn(String ip) {
        return fx.receive(request(PEER_MAC, ip, US));
    }

    /** __neigh_event_send() with mcast_solicit + app_solicit = 0: FAILED at once. */
    private void failedEntry(String ip) {
        sysctl("net.ipv4.neigh.nd0.mcast_solicit", 0);
        assertThat(fx.send(US, ip)).isEqualTo(Ipv4Output.Result.DROPPED);
        assertThat(fx.state(ip)).isEqualTo(FAILED);
    }

    private void reachableEntry(String ip) {
        assertThat(fx.send(US, ip)).isEqualTo(Ipv4Output.Result.QUEUED);
        fx.receive(reply(PEER_MAC, ip, US));
        assertThat(fx.state(ip)).isEqualTo(REACHABLE);
    }

    private Result<Void> admin(String ip, int state, int ntfFlags) {
        return fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip(ip), MAC_A.bits(), state, ntfFlags, false),
                NeighAdmin.Mode.ADD);
    }

    private void permanent(String ip) {
        assertThat(admin(ip, NudState.NUD_PERMANENT, 0).ok()).isTrue();
    }

    private java.util.List<String> deletions() {
        return fx.events.events().stream().filter(e -> e.startsWith("DELNEIGH")).toList();
    }

    // ------------------------------------------------------------------ periodic work

    @Nested
    class Periodic {
        @BeforeEach
        void collectEverything() {
            sysctl("net.ipv4.neigh.default.gc_thresh1", 0);
            sysctl("net.ipv4.neigh.nd0.gc_stale_time", 10);
        }

        /** neigh_table_init() queues the work after reachable_time; neigh_periodic_work() re-queues it base/2 later. */
        @Test
        void firstRunAfterReachableTimeThenEveryHalfBaseReachableTime() {
            at(7500);
            assertThat(stats.periodicGcRuns).isZero();
            at(7501);
            assertThat(stats.periodicGcRuns).isEqualTo(1);
            at(7501 + 3750);
            assertThat(stats.periodicGcRuns).isEqualTo(1);
            at(7501 + 3751);
            assertThat(stats.periodicGcRuns).isEqualTo(2);
            at(7501 + 3751 * 10);
            assertThat(stats.periodicGcRuns).as("counted on every run, whatever it finds").isEqualTo(11);
        }

        /** The first delay is the randomised reachable_time of the table default, not base_reachable_time. */
        @Test
        void firstRunFollowsTheRandomisedReachableTime() {
            EngineFixture pinned = new EngineFixture(r -> r.next(1000));
            long t0 = pinned.now();
            assertThat(pinned.engine.table().defaultParms().reachableTime()).isEqualTo(1000 + 3750);

            pinned.advanceJiffies(4750);
            assertThat(pinned.engine.stats().periodicGcRuns).isZero();
            pinned.advanceJiffies(1);
            assertThat(pinned.engine.stats().periodicGcRuns).isEqualTo(1);
            pinned.advanceJiffies(3751);
            assertThat(pinned.engine.stats().periodicGcRuns).isEqualTo(2);
            assertThat(pinned.now()).isEqualTo(t0 + 4751 + 3751);
        }

        /** atomic_read(&tbl->entries) < gc_thresh1 skips the scan; PERMANENT entries count towards it. */
        @Test
        void nothingHappensBelowThresh1CountingEveryEntry() {
            sysctl("net.ipv4.neigh.default.gc_thresh1", 3);
            failedEntry("10.0.0.11");
            failedEntry("10.0.0.12");

            at(7501);
            assertThat(stats.periodicGcRuns).isEqualTo(1);
            assertThat(tbl.entries()).isEqualTo(2);

            permanent("10.0.0.4");
            assertThat(tbl.gcEntries()).as("PERMANENT is not in gc_entries").isEqualTo(2);
            at(7501 + 3751);

            assertThat(tbl.entries()).isEqualTo(1);
            assertThat(fx.state("10.0.0.4")).isEqualTo(PERMANENT);
            assertThat(deletions()).containsExactlyInAnyOrder("DELNEIGH 10.0.0.11 FAILED", "DELNEIGH 10.0.0.12 FAILED");
            assertThat(stats.destroys).isEqualTo(2);
        }

        /** state == NUD_FAILED is removed whatever used says. */
        @Test
        void failedEntriesGoEvenIfJustUsed() {
            at(7500);
            failedEntry("10.0.0.11");
            assertThat(fx.entry("10.0.0.11").used()).isEqualTo(start + 7500);

            at(7501);

            assertThat(fx.entry("10.0.0.11")).isNull();
            assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.0.11 FAILED");
        }

        /** !time_in_range_open(jiffies, used, used + gc_stale_time): equality already means stale. */
        @Test
        void staleAfterExactlyGcStaleTimeOfDisuse() {
            at(5001);
            learn("10.0.0.2");
            at(5002);
            learn("10.0.0.3");
            fx.events.clear();

            at(7501);

            assertThat(fx.entry("10.0.0.2")).as("used 5001 + 2500 = 7501 = now").isNull();
            assertThat(fx.state("10.0.0.3")).as("used 5002 + 2500 > now").isEqualTo(STALE);
            assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.0.2 STALE");

            at(7501 + 3751);
            assertThat(fx.entry("10.0.0.3")).isNull();
            assertThat(stats.destroys).isEqualTo(2);
            assertThat(stats.allocs).isEqualTo(2);
            assertThat(tbl.entries()).isZero();
        }

        /** time_before(used, confirmed) lifts used to confirmed before the age check. */
        @Test
        void usedIsLiftedToConfirmedBeforeTheAgeCheck() {
            learn("10.0.0.2");
            learn("10.0.0.3");
            at(5002);
            assertThat(fx.engine.confirm(Ipv4Address.parse("10.0.0.2"))).isTrue();
            assertThat(fx.entry("10.0.0.2").used()).isEqualTo(start);

            at(7501);

            assertThat(fx.state("10.0.0.2")).isEqualTo(STALE);
            assertThat(fx.entry("10.0.0.2").used()).isEqualTo(start + 5002);
            assertThat(fx.entry("10.0.0.3")).as("not confirmed: unused since start").isNull();
        }

        /** PERMANENT, NUD_IN_TIMER states and NTF_EXT_LEARNED / NTF_EXT_VALIDATED are skipped. */
        @Test
        void permanentTimerAndExternalEntriesAreNeverCollected() {
            sysctl("net.ipv4.neigh.nd0.base_reachable_time", 100);
            permanent("10.0.0.4");
            reachableEntry("10.0.0.3");
            assertThat(admin("10.0.0.5", NudState.NUD_STALE, NeighFlags.EXT_LEARNED).ok()).isTrue();
            assertThat(admin("10.0.0.6", NudState.NUD_STALE, NeighFlags.EXT_VALIDATED).ok()).isTrue();
            learn("10.0.0.2");
            fx.events.clear();

            at(7501);

            assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.0.2 STALE");
            assertThat(fx.state("10.0.0.4")).isEqualTo(PERMANENT);
            assertThat(fx.state("10.0.0.3")).as("reachable_time is 25000 jiffies: timer armed").isEqualTo(REACHABLE);
            assertThat(fx.state("10.0.0.5")).isEqualTo(STALE);
            assertThat(fx.state("10.0.0.6")).isEqualTo(STALE);
        }

        /** last_rand starts at now + 20·reachable_time; after that every run more than 300 s later re-randomises. */
        @Test
        void reachableTimeIsReRandomisedEveryThreeHundredSeconds() {
            NeighParms dflt = tbl.defaultParms();
            NeighParms lo = fx.engine.device("lo").arpParms();
            NeighParms nd0 = fx.nd0.arpParms();
            // runs at 7501 + k·3751; the first after 150000 + 75000 is k = 58
            at(225058);
            fx.random.next(0).next(0).next(0);
            assertThat(nd0.reachableTime()).isEqualTo(7500);

            at(225059);

            assertThat(dflt.reachableTime()).isEqualTo(3750);
            assertThat(lo.reachableTime()).isEqualTo(3750);
            assertThat(nd0.reachableTime()).isEqualTo(3750);

            // the next is the first run after 225059 + 75000: k = 78
            fx.random.next(7499).next(7499).next(7499);
            at(300078);
            assertThat(nd0.reachableTime()).isEqualTo(3750);
            at(300079);
            assertThat(dflt.reachableTime()).isEqualTo(7499 + 3750);
            assertThat(nd0.reachableTime()).isEqualTo(7499 + 3750);
            assertThat(stats.periodicGcRuns).isEqualTo(79);
        }
    }

    @Nested
    class PeriodicBoundaries {
        /**
         * time_after(jiffies, last_rand + 300·HZ) is strict. With reachable_time pinned at 6516 the
         * runs fall at start + 6517 + 3751·k and last_rand + 300 s is start + 20·6516 + 75000 =
         * start + 205320, which is run k = 53: not yet; run 54 re-randomises.
         */
        @Test
        void reRandomisationWaitsUntilStrictlyAfterThreeHundredSeconds() {
            EngineFixture pinned = new EngineFixture(r -> r.next(6516 - 3750));
            long t0 = pinned.now();
            NeighParms dflt = pinned.engine.table().defaultParms();
            assertThat(dflt.reachableTime()).isEqualTo(6516);
            pinned.advanceJiffies(205319);
            pinned.random.next(0).next(0).next(0);

            pinned.advanceJiffies(1);

            assertThat(pinned.engine.stats().periodicGcRuns).isEqualTo(54);
            assertThat(dflt.reachableTime()).as("run 53, exactly 300 s after last_rand").isEqualTo(6516);
            pinned.advanceJiffies(3751);
            assertThat(pinned.now()).isEqualTo(t0 + 6517 + 3751 * 54);
            assertThat(dflt.reachableTime()).isEqualTo(3750);
            assertThat(pinned.nd0.arpParms().reachableTime()).isEqualTo(3750);
        }

        /** neigh_parms_release() takes an unregistered device's parms out of the list the work re-randomises. */
        @Test
        void anUnregisteredDevicesParmsAreNoLongerReRandomised() {
            NetDevice nd1 = fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), null);
            NetDevice nd2 = fx.addInterface("nd2", 4, MacAddress.parse("02:aa:00:00:02:01"), null);
            fx.engine.devices().unregister(nd1);
            at(225058);
            // the table default, lo, nd0, nd2: nd1 no longer draws
            fx.random.next(0).next(0).next(0).next(100);

            at(225059);

            assertThat(nd2.arpParms().reachableTime()).isEqualTo(100 + 3750);
            assertThat(fx.nd0.arpParms().reachableTime()).isEqualTo(3750);
        }

        /**
         * time_in_range_open(jiffies, used, used + gc_stale_time) holds at jiffies == used: an entry
         * created in the scan's own jiffy is fresh. The proxy timer, armed before the GC work
         * re-armed itself, runs first in that jiffy and creates the sender's entry.
         */
        @Test
        void anEntryCreatedInTheScansJiffyIsFresh() {
            sysctl("net.ipv4.neigh.default.gc_thresh1", 0);
            fx.addInterface("nd1", 3, MacAddress.parse("02:aa:00:00:01:01"), "10.1.0.1/24");
            sysctl("net.ipv4.conf.nd0.forwarding", 1);
            sysctl("net.ipv4.conf.nd0.proxy_arp", 1);
            sysctl("net.ipv4.neigh.nd0.proxy_delay", 2000);
            at(7000);
            fx.random.next(4251);
            assertThat(fx.receive(request(PEER_MAC, "10.0.0.2", "10.1.0.5"))).isEqualTo(Reason.PROXY_QUEUED);
            assertThat(fx.engine.admin().delete(fx.nd0, ip("10.0.0.2")).ok()).isTrue();
            at(11251);
            assertThat(fx.entry("10.0.0.2")).isNull();
            fx.tx.clear();

            at(11252);

            assertThat(stats.periodicGcRuns).isEqualTo(2);
            assertThat(fx.tx.arp()).as("the proxied reply").hasSize(1);
            assertThat(fx.state("10.0.0.2")).isEqualTo(STALE);
            assertThat(fx.entry("10.0.0.2").used()).isEqualTo(start + 11252);
        }
    }

    // ------------------------------------------------------------------ forced GC on allocation

    @Nested
    class Forced {
        @Test
        void tableFullWhenNothingIsFreeableAtThresh3() {
            thresholds(128, 2, 4);
            for (int i = 11; i <= 14; i++) {
                assertThat(learn("10.0.0." + i)).isEqualTo(Reason.REPLIED);
            }
            fx.tx.clear();
            fx.events.clear();

            assertThat(learn("10.0.0.15")).isEqualTo(Reason.TABLE_FULL);

            assertThat(fx.tx.all()).as("neigh_event_ns got no entry: no reply").isEmpty();
            assertThat(fx.entry("10.0.0.15")).isNull();
            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(stats.tableFulls).isEqualTo(1);
            assertThat(stats.allocs).isEqualTo(4);
            assertThat(tbl.entries()).isEqualTo(4);
            assertThat(tbl.gcEntries()).isEqualTo(4);
            assertThat(fx.events.events()).isEmpty();
            assertThat(fx.engine.arpStats().of(fx.nd0.ifindex()).count(Reason.TABLE_FULL)).isEqualTo(1);
        }

        /** tref = jiffies - 5·HZ; time_in_range(updated, tref, jiffies) keeps an entry updated exactly 5 s ago. */
        @Test
        void entriesUpdatedFiveSecondsAgoAreStillFresh() {
            thresholds(128, 2, 4);
            for (int i = 11; i <= 14; i++) {
                learn("10.0.0." + i);
            }
            at(1250);

            assertThat(learn("10.0.0.15")).isEqualTo(Reason.TABLE_FULL);
            assertThat(tbl.entries()).isEqualTo(4);
        }

        /** neigh_forced_gc() walks gc_list oldest first and stops once gc_entries - gc_thresh2 are gone. */
        @Test
        void oldestGoFirstDownToThresh2() {
            thresholds(128, 2, 4);
            for (int i = 11; i <= 14; i++) {
                learn("10.0.0." + i);
            }
            fx.events.clear();
            at(1251);

            assertThat(learn("10.0.0.15")).isEqualTo(Reason.REPLIED);

            assertThat(fx.events.events()).containsExactly("DELNEIGH 10.0.0.11 STALE", "DELNEIGH 10.0.0.12 STALE",
                    "DELNEIGH 10.0.0.13 STALE", "NEWNEIGH 10.0.0.15 STALE");
            assertThat(fx.state("10.0.0.14")).isEqualTo(STALE);
            assertThat(tbl.entries()).isEqualTo(2);
            assertThat(tbl.gcEntries()).isEqualTo(2);
            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(stats.tableFulls).isZero();
            assertThat(stats.destroys).isEqualTo(3);
            assertThat(stats.allocs).isEqualTo(5);
        }

        /** Above gc_thresh2 the GC runs only when last_flush is more than 5 s old. */
        @Test
        void aboveThresh2OnlyWhenTheLastFlushIsOlderThanFiveSeconds() {
            thresholds(128, 2, 10);
            learn("10.0.0.11");
            learn("10.0.0.12");
            learn("10.0.0.13");
            assertThat(stats.forcedGcRuns).as("last_flush = table start, not yet 5 s ago").isZero();
            at(1250);
            learn("10.0.0.14");
            assertThat(stats.forcedGcRuns).isZero();
            fx.events.clear();

            at(1251);
            learn("10.0.0.15");

            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(deletions()).containsExactly("DELNEIGH 10.0.0.11 STALE", "DELNEIGH 10.0.0.12 STALE",
                    "DELNEIGH 10.0.0.13 STALE");
            assertThat(tbl.entries()).isEqualTo(2);

            // last_flush is now: the next allocation above thresh2 does not collect
            learn("10.0.0.16");
            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(tbl.entries()).isEqualTo(3);
        }

        /** A forced GC below gc_thresh3 that frees nothing still lets the allocation through. */
        @Test
        void belowThresh3AFruitlessGcStillAllocates() {
            thresholds(128, 2, 10);
            at(1251);
            learn("10.0.0.11");
            learn("10.0.0.12");

            assertThat(learn("10.0.0.13")).isEqualTo(Reason.REPLIED);

            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(stats.tableFulls).isZero();
            assertThat(stats.destroys).isZero();
            assertThat(tbl.entries()).isEqualTo(3);
        }

        /** FAILED, NOARP and multicast keys go whatever their age; entries holding a timer are skipped. */
        @Test
        void failedNoarpAndMulticastGoAtAnyAgeTimerHoldersStay() {
            thresholds(128, 0, 5);
            fx.engine.addRoute(RouteSpec.parse("224.0.0.0/4 dev nd0"));
            reachableEntry("10.0.0.3");
            at(1300);
            failedEntry("10.0.0.11");
            assertThat(fx.send(US, "10.0.0.255")).isEqualTo(Ipv4Output.Result.SENT);
            assertThat(fx.state("10.0.0.255")).isEqualTo(NOARP);
            assertThat(fx.send(US, "224.0.0.5")).isEqualTo(Ipv4Output.Result.SENT);
            assertThat(fx.state("224.0.0.5")).isEqualTo(NOARP);
            learn("10.0.0.12");
            fx.events.clear();

            learn("10.0.0.13");

            assertThat(deletions()).containsExactly("DELNEIGH 10.0.0.11 FAILED", "DELNEIGH 10.0.0.255 NOARP",
                    "DELNEIGH 224.0.0.5 NOARP");
            assertThat(fx.state("10.0.0.3")).as("updated 1300 jiffies ago, but its timer holds a reference")
                    .isEqualTo(REACHABLE);
            assertThat(fx.state("10.0.0.12")).as("updated now").isEqualTo(STALE);
            assertThat(fx.state("10.0.0.13")).isEqualTo(STALE);
        }

        /** PERMANENT, extern_learn and loopback entries are exempt: not counted, never forced out. */
        @Test
        void exemptEntriesAreNotCountedAndNeverForcedOut() {
            thresholds(128, 2, 4);
            for (int i = 21; i <= 25; i++) {
                permanent("10.0.0." + i);
            }
            assertThat(admin("10.0.0.26", NudState.NUD_STALE, NeighFlags.EXT_LEARNED).ok()).isTrue();
            NetDevice lo = fx.engine.device("lo");
            assertThat(tbl.create(lo, ip("127.0.0.9"))).isNotNull();
            assertThat(tbl.entries()).isEqualTo(7);
            assertThat(tbl.gcEntries()).isZero();

            for (int i = 11; i <= 14; i++) {
                assertThat(learn("10.0.0." + i)).isEqualTo(Reason.REPLIED);
            }
            assertThat(learn("10.0.0.15")).as("four counted entries reach gc_thresh3").isEqualTo(Reason.TABLE_FULL);
            fx.events.clear();

            at(1251);
            assertThat(learn("10.0.0.15")).isEqualTo(Reason.REPLIED);

            assertThat(deletions()).containsExactly("DELNEIGH 10.0.0.11 STALE", "DELNEIGH 10.0.0.12 STALE",
                    "DELNEIGH 10.0.0.13 STALE");
            assertThat(tbl.entries()).isEqualTo(9);
            assertThat(tbl.lookupNoref(lo, ip("127.0.0.9"))).isNotNull();
            assertThat(fx.state("10.0.0.26")).isEqualTo(STALE);
        }

        /** neigh_update_gc_list(): leaving PERMANENT puts the entry on the gc list; forced GC may then take it. */
        @Test
        void aPermanentEntryMadeStaleJoinsTheGcList() {
            thresholds(128, 0, 1);
            permanent("10.0.0.4");
            assertThat(tbl.gcEntries()).isZero();

            Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip("10.0.0.4"), MAC_A.bits(),
                    NudState.NUD_STALE, 0, false), NeighAdmin.Mode.CHANGE);
            assertThat(r.ok()).isTrue();
            assertThat(tbl.gcEntries()).isEqualTo(1);
            at(1251);
            fx.events.clear();

            assertThat(learn("10.0.0.2")).isEqualTo(Reason.REPLIED);

            assertThat(deletions()).containsExactly("DELNEIGH 10.0.0.4 STALE");
            assertThat(tbl.gcEntries()).isEqualTo(1);

            permanent("10.0.0.5");
            Result<Void> back = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip("10.0.0.2"),
                    PEER_MAC.bits(), NudState.NUD_PERMANENT, 0, false), NeighAdmin.Mode.REPLACE);
            assertThat(back.ok()).isTrue();
            assertThat(tbl.gcEntries()).as("PERMANENT again: off the list").isZero();
        }
    }

    @Nested
    class ForcedBoundaries {
        /** Entries older than 5 s whose timers hold them are not freeable; explain must predict the full table. */
        @Test
        void oldEntriesHoldingTimersLeaveTheTableFull() {
            thresholds(128, 2, 2);
            reachableEntry("10.0.0.3");
            reachableEntry("10.0.0.4");
            at(1251);

            assertThat(learn("10.0.0.5")).isEqualTo(Reason.TABLE_FULL);

            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(tbl.entries()).isEqualTo(2);
        }

        /** arp_tbl's is_multicast: a multicast key goes even when just updated and not NOARP. */
        @Test
        void aFreshMulticastKeyIsForcedOut() {
            thresholds(128, 0, 2);
            Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip("224.0.0.5"), MAC_A.bits(),
                    NudState.NUD_STALE, 0, false), NeighAdmin.Mode.REPLACE);
            assertThat(r.ok()).isTrue();
            assertThat(fx.state("224.0.0.5")).isEqualTo(STALE);
            learn("10.0.0.12");
            fx.events.clear();

            assertThat(learn("10.0.0.13")).isEqualTo(Reason.REPLIED);

            assertThat(deletions()).containsExactly("DELNEIGH 224.0.0.5 STALE");
            assertThat(fx.state("10.0.0.12")).isEqualTo(STALE);
        }

        /** neigh_mark_dead() takes a deleted entry off the gc list: it is neither counted nor seen as freeable. */
        @Test
        void aDeletedEntryIsNotFreeable() {
            thresholds(128, 2, 2);
            learn("10.0.0.11");
            assertThat(fx.engine.admin().delete(fx.nd0, ip("10.0.0.11")).ok()).isTrue();
            learn("10.0.0.12");
            learn("10.0.0.13");
            assertThat(tbl.gcEntries()).isEqualTo(2);

            assertThat(learn("10.0.0.14")).as("the two left are fresh: nothing to free").isEqualTo(Reason.TABLE_FULL);
        }

        /** neigh_update_gc_list(): a learned entry made PERMANENT leaves the gc list, and forced GC never sees it. */
        @Test
        void anEntryMadePermanentLeavesTheGcList() {
            thresholds(128, 0, 1);
            learn("10.0.0.11");
            assertThat(tbl.gcEntries()).isEqualTo(1);
            assertThat(fx.engine.admin().add(new NeighAdmin.Request(fx.nd0, ip("10.0.0.11"), PEER_MAC.bits(),
                    NudState.NUD_PERMANENT, 0, false), NeighAdmin.Mode.REPLACE).ok()).isTrue();
            assertThat(tbl.gcEntries()).isZero();
            at(1251);
            fx.events.clear();

            assertThat(learn("10.0.0.12")).isEqualTo(Reason.REPLIED);

            assertThat(stats.forcedGcRuns).isEqualTo(1);
            assertThat(deletions()).isEmpty();
            assertThat(fx.state("10.0.0.11")).isEqualTo(PERMANENT);
        }

        /**
         * neigh_update_flags() asks for neigh_update_gc_list() only when NTF_EXT_LEARNED or
         * NTF_EXT_VALIDATED change: a loopback entry, exempt since creation, stays off the list when
         * only NTF_MANAGED does.
         */
        @Test
        void aLoopbackEntryStaysOffTheListWhenOnlyManagedChanges() {
            NetDevice lo = fx.engine.device("lo");
            assertThat(tbl.create(lo, ip("127.0.0.9"))).isNotNull();
            assertThat(tbl.gcEntries()).isZero();

            Result<Void> r = fx.engine.admin().add(new NeighAdmin.Request(lo, ip("127.0.0.9"), Neighbour.NO_LLADDR,
                    NudState.NUD_NONE, NeighFlags.MANAGED, false), NeighAdmin.Mode.REPLACE);

            assertThat(r.ok()).isTrue();
            assertThat(tbl.lookupNoref(lo, ip("127.0.0.9")).flags()).isEqualTo(NeighFlags.MANAGED);
            assertThat(tbl.gcEntries()).isZero();
        }
    }

    // ------------------------------------------------------------------ hash table

    /** ___neigh_create(): grow when atomic_read(&tbl->entries) > (1 << hash_shift), counting the new entry. */
    @Test
    void hashGrowsWhenEntriesExceedBuckets() {
        assertThat(tbl.hashBuckets()).isEqualTo(8);
        for (int i = 1; i <= 8; i++) {
            permanent("10.0.0." + (100 + i));
        }
        assertThat(tbl.hashBuckets()).isEqualTo(8);
        assertThat(stats.hashGrows).isZero();

        permanent("10.0.0.109");
        assertThat(tbl.hashBuckets()).isEqualTo(16);
        assertThat(stats.hashGrows).isEqualTo(1);

        for (int i = 10; i <= 16; i++) {
            permanent("10.0.0." + (100 + i));
        }
        assertThat(stats.hashGrows).isEqualTo(1);
        permanent("10.0.0.117");
        assertThat(tbl.hashBuckets()).isEqualTo(32);
        assertThat(stats.hashGrows).isEqualTo(2);

        for (int i = 1; i <= 17; i++) {
            assertThat(fx.state("10.0.0." + (100 + i))).as("still found after rehashing").isEqualTo(PERMANENT);
        }
        assertThat(stats.allocs).isEqualTo(17);
        assertThat(tbl.entries()).isEqualTo(17);
    }

    /** Every way out of the table is an RTM_DELNEIGH, and destroys balances allocs. */
    @Test
    void everyRemovalIsNotifiedAndCounted() {
        sysctl("net.ipv4.neigh.default.gc_thresh1", 0);
        sysctl("net.ipv4.neigh.nd0.gc_stale_time", 1);
        learn("10.0.0.2");
        learn("10.0.0.3");
        fx.events.clear();
        assertThat(fx.engine.admin().delete(fx.nd0, ip("10.0.0.3")).ok()).isTrue();
        assertThat(fx.events.events()).containsExactly("NEWNEIGH 10.0.0.3 FAILED", "DELNEIGH 10.0.0.3 FAILED");
        fx.send(US, "10.0.0.7");
        fx.events.clear();

        at(7501);

        assertThat(fx.events.events()).startsWith("NEWNEIGH 10.0.0.7 FAILED");
        assertThat(deletions()).containsExactlyInAnyOrder("DELNEIGH 10.0.0.2 STALE", "DELNEIGH 10.0.0.7 FAILED");
        assertThat(stats.allocs).isEqualTo(3);
        assertThat(stats.destroys).isEqualTo(3);
        assertThat(tbl.entries()).isZero();
        assertThat(tbl.gcEntries()).isZero();
        assertThat(fx.engine.table().hashBuckets()).isEqualTo(8);
    }
}
