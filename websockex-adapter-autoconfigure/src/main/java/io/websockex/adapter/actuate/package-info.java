/**
 * Observability of websockex clients: the {@code websockex} actuator endpoint, the
 * {@code websockex} health contributor and the Micrometer meters.
 */
@NullMarked
package io.websockex.adapter.actuate;

import org.jspecify.annotations.NullMarked;
