package io.neighd.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.neighd.testkit.FrameFuzzer;

import java.util.List;

/**
 * The frame path under Jazzer (coverage-guided): each input is a fresh engine driven by {@link
 * FrameFuzzer} from the input's bytes, and must end with the table's invariants holding, no
 * failure survived and no explain/receive disagreement. Without {@code JAZZER_FUZZ} this replays
 * the inputs under {@code src/test/resources/io/neighd/fuzz/FramePathJazzerTestInputs} (crashers
 * found are kept there); with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class FramePathJazzerTest {
    @FuzzTest(maxDuration = "5m")
    void theTableStaysSound(FuzzedDataProvider data) {
        FrameFuzzer f = new FrameFuzzer(choices(data), data.consumeLong());
        int steps = 0;
        while (data.remainingBytes() > 0 && steps++ < 400) {
            f.step();
        }
        List<String> wrong = f.violations();
        if (!wrong.isEmpty()) {
            throw new AssertionError("after " + f.frames() + " frames and " + f.operations() + " operations: " + wrong);
        }
    }

    private static FrameFuzzer.Choices choices(FuzzedDataProvider data) {
        return new FrameFuzzer.Choices() {
            public int below(int n) {
                return n <= 1 ? 0 : data.consumeInt(0, n - 1);
            }

            public long bits() {
                return data.consumeLong();
            }

            public boolean more() {
                return data.remainingBytes() > 0;
            }
        };
    }
}
