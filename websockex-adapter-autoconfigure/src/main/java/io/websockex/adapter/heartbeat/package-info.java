/**
 * Heartbeat settings and strategies that detect a dead connection.
 */
@NullMarked
package io.websockex.adapter.heartbeat;

import org.jspecify.annotations.NullMarked;
