package io.neighd.link;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a piece of code inside a named network namespace ({@code ip netns add NAME}) by moving a
 * fresh thread into it with setns(2): a capture socket opened there stays bound to that
 * namespace's interface after the thread is gone, while the rest of neighd (its HTTP port
 * included) stays where it was started. Needs CAP_SYS_ADMIN; used by the lab.
 */
public final class Netns {
    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private interface LibC extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private Netns() {
    }

    public static Path path(String name) {
        return Path.of("/var/run/netns", name);
    }

    public static boolean exists(String name) {
        return Files.exists(path(name));
    }

    /** Runs {@code task} on a new thread inside network namespace {@code name}. */
    public static <T> T run(String name, Callable<T> task) throws Exception {
        if (!exists(name)) {
            throw new LinkException("network namespace '" + name + "' does not exist (see 'ip netns list')");
        }
        FutureTask<T> f = new FutureTask<>(() -> {
            LibC libc = Native.load("c", LibC.class);
            int fd = libc.open(path(name).toString(), O_RDONLY);
            if (fd < 0) {
                throw new LinkException("cannot open network namespace '" + name + "': errno " + Native.getLastError());
            }
            try {
                if (libc.setns(fd, CLONE_NEWNET) != 0) {
                    int errno = Native.getLastError();
                    throw new LinkException("cannot enter network namespace '" + name + "' (errno " + errno
                            + "): neighd needs CAP_SYS_ADMIN to attach inside a namespace; run it as root");
                }
            } finally {
                libc.close(fd);
            }
            return task.call();
        });
        Thread t = new Thread(f, "neighd-netns-" + name);
        t.start();
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
