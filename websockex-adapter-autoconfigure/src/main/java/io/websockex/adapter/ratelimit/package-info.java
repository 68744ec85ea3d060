/**
 * Rate limiting: a token bucket per client and the cost functions of exchanges.
 */
@NullMarked
package io.websockex.adapter.ratelimit;

import org.jspecify.annotations.NullMarked;
