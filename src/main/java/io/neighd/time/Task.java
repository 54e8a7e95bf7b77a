package io.neighd.time;

/** A named timer that runs an action: the table's periodic GC, managed work and proxy timer. */
public final class Task extends Timed {
    private final String name;
    private final Runnable action;
    /** The expiry it was armed for (timer->expires), which pneigh_enqueue compares against. */
    private long expires;

    public Task(String name, Runnable action) {
        this.name = name;
        this.action = action;
    }

    public void run() {
        action.run();
    }

    public long expires() {
        return expires;
    }

    public void arm(TimerWheel wheel, long when) {
        expires = when;
        wheel.add(this, when);
    }

    @Override
    public String toString() {
        return "task " + name;
    }
}
