package io.neighd.api;

import io.neighd.service.EngineRuntime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, defect 8 (the state-file half): what an administrative write costs the engine thread
 * does not grow with the state file. Before, every write took a "live view" of every entry the
 * file holds on the engine thread (a lookup and a copy per record) to reconcile the file with the
 * table. Measured as the bytes the engine thread allocates for one write — deterministic, unlike
 * time — beside a file of 10 entries and one of 10,000.
 */
@ApiSliceTest
class StateFileCostTest {
    @Autowired
    MockMvcTester mvc;

    @Autowired
    EngineRuntime service;

    @BeforeEach
    void emptyTable() throws Exception {
        EngineSlice.emptyTable(service);
    }

    @Test
    void aWriteCostsTheEngineThreadTheSameWhateverTheSizeOfTheStateFile() throws Exception {
        fill(10);
        long small = engineBytesForOneWrite("10.77.0.201");
        EngineSlice.emptyTable(service);
        fill(10_000);
        assertThat(service.state().current().neighbours()).hasSize(10_000);
        long large = engineBytesForOneWrite("10.77.0.202");

        assertThat(large).as("engine-thread bytes for one write beside 10,000 records (10 records: %d)", small)
                .isLessThan(small + 64 * 1024);
    }

    private void fill(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"dst\":\"10.90.").append(i / 256).append('.').append(i % 256)
                    .append("\",\"dev\":\"nd0\",\"lladdr\":\"02:bb:00:00:00:01\"}");
        }
        assertThat(mvc.post().uri("/api/v1/neighbours/batch").header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content(b.append(']').toString())).hasStatus(HttpStatus.OK);
    }

    private long engineBytesForOneWrite(String dst) throws Exception {
        Thread engine = service.loop().submit(nl -> Thread.currentThread()).get(5, TimeUnit.SECONDS);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // warm: the first write of a shape allocates for class loading and the JIT
        put("10.77.0.200");
        long before = mx.getThreadAllocatedBytes(engine.getId());
        put(dst);
        long after = mx.getThreadAllocatedBytes(engine.getId());
        return after - before;
    }

    private void put(String dst) {
        assertThat(mvc.put().uri("/api/v1/neighbours/nd0/" + dst).header("Authorization", EngineSlice.BEARER)
                .contentType(MediaType.APPLICATION_JSON).content("{\"lladdr\":\"02:bb:00:00:00:02\"}"))
                .hasStatus2xxSuccessful();
    }
}
