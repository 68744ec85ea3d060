/**
 * The token bucket and the FIFO limiter that paces a client's sends by
 * {@link io.websockex.adapter.ratelimit.RateLimit}. Not API.
 */
@NullMarked
package io.websockex.adapter.internal.ratelimit;

import org.jspecify.annotations.NullMarked;
