package io.neighd.engine;

/**
 * Frames the engine thread reads itself, from sources it can sleep on (live captures), instead of
 * frames handed over by capture threads: then a frame costs one wake-up (this thread's) where a
 * capture thread and a queue cost two, which is most of the reply latency on a small machine. The
 * edge implements it (the service over {@code io.neighd.link.CapturePoller}); the engine only
 * sees the calls below.
 */
public interface FrameSource {
    /**
     * Blocks until a source may have frames, {@link #wake()} is called, or {@code nanos} pass
     * ({@code nanos} 0: do not block).
     */
    void await(long nanos);

    /** From any thread: ends the current {@link #await}, or the next one, early. */
    void wake();

    /**
     * On the engine thread: reads, without blocking, up to {@code max} frames from each source
     * and hands them to the engine.
     *
     * @return how many frames were read
     */
    int poll(int max);

    /**
     * On the engine thread, at the end of each turn (frames, timers and commands): sends what the
     * engine transmitted during the turn, so that the replies to a burst leave together (one
     * system call for many) while a lone reply still leaves at once.
     */
    void flush();
}
