/**
 * Heartbeat settings: how a client detects a dead connection
 * ({@link io.websockex.adapter.heartbeat.Heartbeat}).
 */
@NullMarked
package io.websockex.adapter.heartbeat;

import org.jspecify.annotations.NullMarked;
