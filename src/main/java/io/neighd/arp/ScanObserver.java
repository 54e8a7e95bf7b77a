package io.neighd.arp;

/** What the scans tell the outside, on the engine thread: each answer as it comes, and each scan's end. */
public interface ScanObserver {
    void scanReply(ScanReply reply);

    void scanDone(ScanResult result);
}
