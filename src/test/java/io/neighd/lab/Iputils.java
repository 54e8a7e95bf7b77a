package io.neighd.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What iputils' arping and ping report, read back so that a test knows its stimulus left: exit
 * status 0 or 1 (answered or not; 2 and anything else is the tool failing, e.g. no such device or
 * no route), and the counts they print ("Sent N probes", "Received N response(s)"; "N packets
 * transmitted, M received"). A "no reply" check built on them cannot pass because the tool never
 * sent anything.
 */
public final class Iputils {
    private static final Pattern ARPING_SENT = Pattern.compile("(?m)^Sent (\\d+) probes?");
    private static final Pattern ARPING_RECEIVED = Pattern.compile("(?m)^Received (\\d+) response");
    private static final Pattern PING = Pattern.compile("(?m)^(\\d+) packets transmitted, (\\d+) (packets )?received");

    private Iputils() {
    }

    /** arping's report: probes sent, responses received. */
    public record Arping(int sent, int received, Cmd.Result raw) {
        public boolean answered() {
            return received > 0;
        }
    }

    /** ping's report: echo requests transmitted, replies received. */
    public record Ping(int transmitted, int received, Cmd.Result raw) {
    }

    public static Arping arping(Cmd.Result r) {
        ranOrFail(r);
        return new Arping(sent(count(ARPING_SENT, r, 1), r), count(ARPING_RECEIVED, r, 1), r);
    }

    public static Ping ping(Cmd.Result r) {
        ranOrFail(r);
        return new Ping(sent(count(PING, r, 1), r), count(PING, r, 2), r);
    }

    /** Exit 0 (answered) or 1 (not answered, or arping -D/-U's "address free"); anything else failed to run. */
    private static void ranOrFail(Cmd.Result r) {
        if (r.rc() != 0 && r.rc() != 1) {
            throw new AssertionError("the stimulus did not run: " + String.join(" ", r.command()) + " exited "
                    + r.rc() + ": " + (r.err() + r.out()).strip());
        }
    }

    private static int count(Pattern p, Cmd.Result r, int group) {
        Matcher m = p.matcher(r.out());
        if (!m.find()) {
            throw new AssertionError("cannot read what the tool sent from its output (" + String.join(" ", r.command())
                    + "):\n" + r.out() + r.err());
        }
        return Integer.parseInt(m.group(group));
    }

    private static int sent(int n, Cmd.Result r) {
        if (n < 1) {
            throw new AssertionError("the stimulus sent nothing: " + String.join(" ", r.command()) + ":\n" + r.out());
        }
        return n;
    }
}
