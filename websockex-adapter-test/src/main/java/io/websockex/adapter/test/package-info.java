/**
 * Test support for websockex users:
 * {@link io.websockex.adapter.test.WebsockexTestServer}, a real WebSocket server on
 * 127.0.0.1 with scripted answers, pushes, faults, platform behaviours and replay of
 * recordings, and {@link io.websockex.adapter.test.RawFrameServer}, a bare socket that
 * writes any bytes, for testing a client against servers that break the protocol.
 */
@NullMarked
package io.websockex.adapter.test;

import org.jspecify.annotations.NullMarked;
