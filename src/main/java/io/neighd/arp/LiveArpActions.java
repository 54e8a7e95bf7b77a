package io.neighd.arp;

import io.neighd.ip.NetDevice;
import io.neighd.neighbour.Neighbour;
import io.neighd.neighbour.NeighbourTable;
import io.neighd.neighbour.ProxySkb;
import io.neighd.wire.ArpOp;
import io.neighd.wire.ArpPacket;
import io.neighd.wire.RxFrame;

import java.util.Arrays;

/** What arp_process() does on the receive path: the table, the proxy queue and the device. */
public final class LiveArpActions implements ArpActions {
    private final NeighbourTable<NetDevice> tbl;
    private final ArpSender sender;
    private final ArpStats stats;
    private final ArpScans scans;
    private final ClaimObserver claims;

    public LiveArpActions(NeighbourTable<NetDevice> tbl, ArpSender sender, ArpStats stats, ArpScans scans,
                          ClaimObserver claims) {
        this.tbl = tbl;
        this.sender = sender;
        this.stats = stats;
        this.scans = scans;
        this.claims = claims;
    }

    @Override
    public void received(NetDevice dev, int op) {
        stats.of(dev.ifindex()).countReceived(op);
    }

    @Override
    public Neighbour<NetDevice> lookup(NetDevice dev, int sip) {
        return tbl.lookup(dev, sip);
    }

    @Override
    public boolean eventNs(NetDevice dev, long sha, int sip) {
        return tbl.eventNs(dev, sha, 0, NeighbourTable.key4(sip)) != null;
    }

    @Override
    public boolean update(NetDevice dev, Neighbour<NetDevice> n, int sip, long sha, int state, int flags) {
        // __neigh_lookup(creat=1) looks up again (a second lookup in the statistics), then creates
        Neighbour<NetDevice> entry = n != null ? n : tbl.lookupOrCreate(dev, sip, true);
        if (entry == null) {
            return false;
        }
        tbl.update(entry, sha, state, flags);
        return true;
    }

    @Override
    public void reply(NetDevice dev, TxKind kind, int tip, long sha, int sip) {
        sender.send(ArpPacket.frame(ArpOp.OP_REPLY, sha, dev.hwAddr(), dev.vlan(), dev.hwAddr(), tip, sha, sip),
                dev, kind);
    }

    @Override
    public void scanReply(NetDevice dev, int sip, long sha, long ethSrc) {
        scans.reply(dev, sip, sha, ethSrc);
    }

    @Override
    public void claimed(NetDevice dev, int sip, long sha) {
        claims.claimed(dev, sip, sha);
    }

    @Override
    public boolean proxyEnqueue(NetDevice dev, RxFrame f, boolean packetHost) {
        byte[] copy = Arrays.copyOf(f.data, f.length);
        return tbl.pneighEnqueue(dev.arpParms(), new ProxySkb<>(copy, dev, packetHost));
    }
}
