package io.neighd.ip;

/** Hands a finished frame to the link of a device (dev_queue_xmit). */
public interface Transmitter {
    void transmit(NetDevice dev, byte[] frame);
}
