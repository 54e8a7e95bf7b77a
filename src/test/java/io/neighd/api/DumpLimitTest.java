package io.neighd.api;

import io.neighd.config.NeighdProperties;
import io.neighd.service.ServiceException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code neighd.api.max-full-dumps} is the bound on whole-table answers at once (it was a constant
 * of 4): with 2, a third whole-table read is refused with {@code too-many-dumps} naming the bound,
 * pages are not counted, and a finished answer gives its slot back.
 */
class DumpLimitTest {
    private static DumpLimit limit(int maxFullDumps) {
        return new DumpLimit(new NeighdProperties.Api("test-token-0123456789", null, DataSize.ofMegabytes(16),
                100_000, maxFullDumps, 1024));
    }

    private static MockHttpServletRequest whole() {
        return new MockHttpServletRequest("GET", "/api/v1/neighbours");
    }

    @Test
    void theConfiguredBoundIsTheBound() {
        DumpLimit l = limit(2);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockHttpServletRequest first = whole();
        assertThat(l.preHandle(first, response, null)).isTrue();
        assertThat(l.preHandle(whole(), response, null)).isTrue();
        MockHttpServletRequest page = whole();
        page.setParameter("limit", "10");
        assertThat(l.preHandle(page, response, null)).as("a page is not counted").isTrue();

        assertThatThrownBy(() -> l.preHandle(whole(), response, null)).isInstanceOfSatisfying(ServiceException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.TOO_MANY_DUMPS);
                    assertThat(e.getMessage()).startsWith("2 whole-table listings are being served");
                });

        l.afterCompletion(first, response, null, null);
        assertThat(l.preHandle(whole(), response, null)).as("the slot came back").isTrue();
    }

    @Test
    void theDefaultIsFour() {
        assertThat(new NeighdProperties.Api("test-token-0123456789").maxFullDumps()).isEqualTo(4);
        assertThat(limit(4).max()).isEqualTo(4);
    }
}
