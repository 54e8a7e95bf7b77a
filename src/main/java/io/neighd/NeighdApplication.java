package io.neighd;

import io.neighd.service.StartupFailures;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * neighd: the Linux IPv4 neighbour subsystem in user space, as a service. A failed start ends
 * with one line on stderr that says what to fix, and exit status 78 (EX_CONFIG).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NeighdApplication {
    public static void main(String[] args) {
        // JNA hands Java strings (device and namespace names, BPF filters) to libc and libpcap, and
        // their error messages back, in jna.encoding, by default the platform charset: ASCII under
        // the POSIX locale of minimal containers. Names are bytes the kernel keeps as given; UTF-8
        // is what ip(8) and the API show them as.
        if (System.getProperty("jna.encoding") == null) {
            System.setProperty("jna.encoding", "UTF-8");
        }
        try {
            SpringApplication.run(NeighdApplication.class, args);
        } catch (Throwable t) {
            System.err.println("neighd: " + StartupFailures.oneLine(t));
            System.exit(78);
        }
    }
}
