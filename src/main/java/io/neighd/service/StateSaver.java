package io.neighd.service;

import io.neighd.service.ServiceException.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Writes the state file on a thread of its own, for writes the engine has applied: neither the
 * engine thread nor the caller pays for it, and a write is saved whether or not its caller is
 * still waiting. Changes are handed over on the engine thread, so they reach the file in the
 * engine's order; all the changes waiting when a save starts go into that one save (a group
 * commit), so saves never queue up behind each other however fast writes come.
 */
final class StateSaver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateSaver.class);

    /** One applied write: how it changes the file's state, and who is told once that is saved. */
    private record Change(UnaryOperator<StateStore.State> change, CompletableFuture<Void> saved) {
    }

    private final StateStore store;
    private final LinkedBlockingQueue<Change> pending = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;
    private long saves;

    StateSaver(StateStore store) {
        this.store = store;
        this.thread = new Thread(this::run, "neighd-state");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * From the engine thread, right after the write was applied: never blocks. {@code saved}
     * completes once a file holding the change is on disk, or exceptionally with
     * {@link Kind#STATE_NOT_SAVED}.
     */
    void applied(UnaryOperator<StateStore.State> change, CompletableFuture<Void> saved) {
        pending.add(new Change(change, saved));
    }

    /** How many times the file was written (for the figures in docs/reliability.md). */
    synchronized long saves() {
        return saves;
    }

    private void run() {
        List<Change> batch = new ArrayList<>();
        while (true) {
            try {
                Change first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                // only close() stops this thread, after the last save: an interrupt mid-write
                // would close the file channel under the save
                continue;
            }
            pending.drainTo(batch);
            save(batch);
            batch.clear();
        }
    }

    private void save(List<Change> batch) {
        StateStore.State current = store.current();
        StateStore.State next = current;
        List<CompletableFuture<Void>> done = new ArrayList<>(batch.size());
        for (Change c : batch) {
            try {
                next = c.change().apply(next);
                done.add(c.saved());
            } catch (RuntimeException e) {
                // a bug in one write's bookkeeping must not cost the others their save
                log.error("cannot record a write in the state file", e);
                c.saved().completeExceptionally(e);
            }
        }
        try {
            // a file left behind by a failed save is caught up by the next one, whatever it changes
            if (next != current || store.dirty()) {
                StateStore.State s = next;
                store.update(old -> s);
                synchronized (this) {
                    saves++;
                }
            }
            done.forEach(f -> f.complete(null));
        } catch (IllegalStateException e) {
            ServiceException notSaved = new ServiceException(Kind.STATE_NOT_SAVED, "the change was applied but not "
                    + "saved: " + e.getMessage() + "; it is lost at a restart unless a later write is saved (each saves "
                    + "everything applied so far)");
            done.forEach(f -> f.completeExceptionally(notSaved));
        } catch (RuntimeException e) {
            log.error("cannot save the state file", e);
            done.forEach(f -> f.completeExceptionally(e));
        }
    }

    /** Saves what was handed over before this call, then stops (waits up to 10 s for that). */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
