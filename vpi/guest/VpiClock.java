import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The virtual Pi's stand-in for NTP: after the test has set the wall clock (date -s), it tells the
 * kernel the clock is synchronised, as an NTP client does, by clearing STA_UNSYNC with adjtimex(2)
 * and setting a small maximum error (the kernel sets STA_UNSYNC again once that grows past 16 s).
 * Compiled on the host against the jar's JNA; run as root in the guest: java -cp openitb.jar:DIR VpiClock sync
 */
public final class VpiClock {
    interface LibC extends Library {
        int adjtimex(Pointer timex);
    }

    // struct timex on 64-bit Linux: modes at 0, maxerror at 24, esterror at 32, status at 40.
    private static final int ADJ_MAXERROR = 0x0004;
    private static final int ADJ_ESTERROR = 0x0008;
    private static final int ADJ_STATUS = 0x0010;
    private static final int STA_UNSYNC = 0x0040;

    public static void main(String[] args) {
        LibC libc = Native.load("c", LibC.class);
        boolean sync = args.length == 1 && args[0].equals("sync");
        try (Memory timex = new Memory(512)) {
            timex.clear();
            timex.setInt(0, ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR);
            timex.setLong(24, sync ? 10_000 : 16_000_000);
            timex.setLong(32, sync ? 1_000 : 16_000_000);
            timex.setInt(40, sync ? 0 : STA_UNSYNC);
            int state = libc.adjtimex(timex);
            System.out.println("adjtimex " + (sync ? "sync" : "unsync") + ": state " + state);
            System.exit(state < 0 ? 1 : 0);
        }
    }
}
