package io.neighd.neighbour;

import io.neighd.ip.NetDevice;
import io.neighd.testkit.EngineFixture;
import io.neighd.wire.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static io.neighd.testkit.EngineFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dump in slices, as neigh_dump_table() resumes from {@code cb->args}: each slice is whole
 * buckets from the one it starts at, as few as give at least the number asked for (empty buckets
 * are passed over), and tells the bucket to go on from, or -1 after the last.
 */
class DumpSliceTest {
    private EngineFixture fx;
    private NeighbourTable<NetDevice> tbl;

    @BeforeEach
    void setUp() {
        fx = new EngineFixture();
        for (int i = 2; i < 42; i++) {
            fx.receive(request(MacAddress.parse(String.format("02:cc:00:00:00:%02x", i)), "10.0.0." + i, "10.0.0.1"));
        }
        tbl = fx.engine.table();
        assertThat(tbl.entries()).isEqualTo(40);
    }

    @ParameterizedTest(name = "at least {0}")
    @ValueSource(ints = {1, 3, 7, 100})
    void slicesAreWholeBucketsAndTogetherEveryEntryOnce(int atLeast) {
        Neighbour<NetDevice>[] buckets = tbl.buckets();
        Set<Neighbour<NetDevice>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int b = 0;
        int slices = 0;
        while (b >= 0) {
            List<Neighbour<NetDevice>> got = new ArrayList<>();
            int next = tbl.forEachFrom(b, atLeast, got::add);

            List<Neighbour<NetDevice>> expected = new ArrayList<>();
            int e = b;
            for (; e < buckets.length && expected.size() < atLeast; e++) {
                for (Neighbour<NetDevice> n = buckets[e]; n != null; n = n.hashNext) {
                    expected.add(n);
                }
            }
            assertThat(got).as("slice from bucket %d", b).containsExactlyElementsOf(expected);
            assertThat(next).isEqualTo(e < buckets.length ? e : -1);
            got.forEach(n -> assertThat(seen.add(n)).as("%s given twice", n).isTrue());
            b = next;
            slices++;
        }
        assertThat(seen).hasSize(40);
        assertThat(slices).isGreaterThan(atLeast >= 40 ? 0 : 1);
    }

    @Test
    void fromTheLastBucketOnTheDumpEnds() {
        Neighbour<NetDevice>[] buckets = tbl.buckets();
        List<Neighbour<NetDevice>> got = new ArrayList<>();

        assertThat(tbl.forEachFrom(buckets.length - 1, 1, got::add)).isEqualTo(-1);
        assertThat(tbl.forEachFrom(buckets.length, 1, got::add)).isEqualTo(-1);
    }
}
