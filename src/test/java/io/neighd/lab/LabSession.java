package io.neighd.lab;

/**
 * The lab and neighd, shared by every live test class of the JVM: the lab is built once (two
 * segments, three peers each, the reference side, gateways), neighd is started once on it, and
 * both are torn down when the test run ends, or when the JVM exits if the run is cut short.
 */
public final class LabSession implements AutoCloseable {
    public static final int SEGMENTS = 2;
    public static final int PEERS = 3;

    public final Lab lab;
    public final Neighd neighd;
    public final ReferenceKernel ref;
    private final Thread hook;
    private boolean closed;

    private LabSession(Lab lab, Neighd neighd, ReferenceKernel ref) {
        this.lab = lab;
        this.neighd = neighd;
        this.ref = ref;
        this.hook = new Thread(this::closeQuietly, "lab-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        // another test class building its own lab (same prefix) takes the namespaces: stop neighd first
        lab.onEvict(this::closeQuietly);
    }

    /** False once closed, or evicted by another lab of this JVM; {@link LabExtension} then opens a new one. */
    public synchronized boolean isOpen() {
        return !closed && lab.isUp();
    }

    static LabSession open() {
        Lab lab = new Lab(SEGMENTS, PEERS);
        long t0 = System.nanoTime();
        lab.up();
        Neighd neighd = null;
        try {
            neighd = Neighd.start(lab);
            neighd.warmUp();
            ReferenceKernel ref = new ReferenceKernel(lab);
            ref.configure(neighd.knobs());
            System.out.printf("[lab] %s up with neighd on port %s in %d ms%n", lab.prefix,
                    neighd.uri("/").getPort(), (System.nanoTime() - t0) / 1_000_000);
            return new LabSession(lab, neighd, ref);
        } catch (RuntimeException | Error e) {
            if (neighd != null) {
                neighd.close();
            }
            lab.close();
            throw e;
        }
    }

    /** Before each test: neighd, the reference kernel, peers and sysctls as they started. */
    public void reset() {
        lab.reset();
        neighd.reset();
        ref.reset();
        lab.flushPeers(Lab.Side.ND, Lab.Side.REF);
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            neighd.close();
        } catch (RuntimeException e) {
            System.err.println("[lab] stopping neighd: " + e);
        }
        lab.close();
        System.out.println("[lab] " + lab.prefix + " down");
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
