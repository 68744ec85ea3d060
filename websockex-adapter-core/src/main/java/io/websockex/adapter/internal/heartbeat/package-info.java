/**
 * Heartbeat machinery behind {@link io.websockex.adapter.heartbeat.Heartbeat}: the
 * strategies, the monitor that runs them on a live session, and the inbound-silence
 * watchdog. Not API.
 */
@NullMarked
package io.websockex.adapter.internal.heartbeat;

import org.jspecify.annotations.NullMarked;
