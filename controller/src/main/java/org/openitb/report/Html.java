package org.openitb.report;

/** Just enough HTML: text escaped, one page's frame with its own style. */
final class Html {

    private Html() {
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n"
                + "<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
                + "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2em .6em;text-align:right}"
                + "th{background:#eee}.fault{color:#a00}.note{border:1px solid #c90;background:#fff8e0;padding:0 1em}</style></head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "\n</body></html>\n";
    }
}
