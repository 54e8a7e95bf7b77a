package io.neighd.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HZ must divide 1000 so that a jiffy is a whole number of milliseconds: 100, 250, 500 or 1000. */
class JiffiesTest {
    @ParameterizedTest(name = "HZ {0} is refused")
    @ValueSource(ints = {0, -250, 300, 2000})
    void anHzThatDoesNotDivideOneThousandIsRefused(int hz) {
        assertThatThrownBy(() -> new Jiffies(hz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("HZ " + hz + " is not supported (expected: 100, 250, 500 or 1000)");
    }

    @Test
    void supportedRates() {
        assertThat(new Jiffies(100).hundredth()).isEqualTo(1);
        assertThat(new Jiffies(250).toMillis(1)).isEqualTo(4);
        assertThat(new Jiffies(1000).fromMillis(7)).isEqualTo(7);
    }
}
