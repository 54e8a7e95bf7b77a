package io.neighd.neighbour;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * skb->truesize of a packet built by ip_append_data() (Skb#truesize), the unit unres_qlen_bytes
 * counts. The first three rows were measured on the reference kernel (6.18, x86_64) by finding the
 * unres_qlen_bytes at which a second queued echo survives: 2 × truesize.
 *
 * <pre>
 * | IP bytes | head asked (l3 + 31, 64-aligned, + 320) | object                     | truesize |
 * |----------|-----------------------------------------|----------------------------|----------|
 * | 84       | 448                                     | skb_small_head_cache (576) | 832      |
 * | 328      | 704                                     | kmalloc-1024               | 1280     |
 * | 1028     | 1408                                    | kmalloc-2048               | 2304     |
 * | 225      | 576                                     | skb_small_head_cache       | 832      |
 * | 226      | 640                                     | kmalloc-1024               | 1280     |
 * | 1500     | 1856                                    | kmalloc-2048               | 2304     |
 * | 673      | 1024                                    | kmalloc-1024 (exactly)     | 1280     |
 * | 674      | 1088                                    | kmalloc-2048               | 2304     |
 * </pre>
 */
class SkbTruesizeTest {
    @ParameterizedTest(name = "{0} bytes of IP: truesize {1}")
    @CsvSource({"84, 832", "328, 1280", "1028, 2304", "225, 832", "226, 1280", "1500, 2304", "673, 1280", "674, 2304"})
    void truesizeIsTheAllocatedObjectPlusTheSkbItself(int l3, int truesize) {
        assertThat(Skb.truesize(l3)).isEqualTo(truesize);
        assertThat(new Skb(new byte[l3], null).truesize()).isEqualTo(truesize);
    }
}
