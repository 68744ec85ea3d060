/**
 * Test support for websockex users:
 * {@link io.websockex.adapter.test.WebsockexTestServer}, a real WebSocket server on
 * 127.0.0.1 with scripted answers, pushes, faults, platform behaviours and replay of
 * recordings.
 */
@NullMarked
package io.websockex.adapter.test;

import org.jspecify.annotations.NullMarked;
