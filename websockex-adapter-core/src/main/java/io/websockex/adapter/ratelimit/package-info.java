/**
 * Rate-limit settings and the cost functions of exchanges; the limiter itself is
 * internal.
 */
@NullMarked
package io.websockex.adapter.ratelimit;

import org.jspecify.annotations.NullMarked;
