package org.openitb.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code openitb} command line run in this JVM, with what it printed: for the verbs' tests. */
public record Cli(int code, String out, String err) {

    public static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(code, out.toString(), err.toString());
    }

    public long errLines() {
        return err.lines().count();
    }
}
