package io.websockex.adapter;

import java.time.Duration;
import java.time.Instant;

/**
 * A planned replacement of a client's session ({@code max-connection-age}): the new
 * session was connected, authenticated and restored before it took over, so the client
 * stayed {@code CONNECTED} and subscribers saw no gap. Not a failure: it is counted in
 * {@link ClientMetrics#rotations()}, never in {@link ClientMetrics#reconnects()}.
 *
 * @param at when the new session took over
 * @param replacedAge how long the replaced session had been open
 * @param rotations rotations of this client so far, this one included
 */
public record SessionRotation(Instant at, Duration replacedAge, long rotations) {

}
