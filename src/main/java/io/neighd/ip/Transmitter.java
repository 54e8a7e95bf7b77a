package io.neighd.ip;

/** Hands a finished frame to the link of a device (dev_queue_xmit). Called on the engine thread. */
public interface Transmitter {
    void transmit(DeviceId dev, byte[] frame);
}
