package org.openitb.delivery;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.openitb.therapy.CommandRequest;
import org.openitb.therapy.CommandResult;

/** How commands answer: refusals, previews, applied changes, stale confirmations and the step-rate check. */
final class Replies {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final DeliveryController c;

    Replies(DeliveryController controller) {
        this.c = controller;
    }

    CommandResult refused(String reason) {
        return CommandResult.refused(reason, c.state.therapy().revision());
    }

    CommandResult preview(String what, List<String> before, List<String> after) {
        return new CommandResult(CommandResult.Outcome.PREVIEW, what, before, after, c.state.therapy().revision());
    }

    CommandResult applied(String message, List<String> before, List<String> after) {
        return new CommandResult(CommandResult.Outcome.APPLIED, message, before, after, c.state.therapy().revision());
    }

    /** A refusal if the request confirms a preview of another revision than the current one. */
    Optional<CommandResult> stale(CommandRequest request) {
        long revision = c.state.therapy().revision();
        if (request.expectRevision().isPresent() && request.expectRevision().getAsLong() != revision) {
            return Optional.of(refused("therapy changed since the preview (revision " + request.expectRevision().getAsLong()
                    + ", now " + revision + "); nothing was applied: run the command again to see the new state"));
        }
        return Optional.empty();
    }

    /** A monotonic instant as local wall time, for messages. */
    String at(long nanos) {
        return CLOCK.format(c.wallAt(nanos).atZone(c.clock.zone()));
    }
}
