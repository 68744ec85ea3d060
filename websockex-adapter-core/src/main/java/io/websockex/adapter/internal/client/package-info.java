/**
 * The client implementation (not API).
 * {@link io.websockex.adapter.internal.client.ManagedClient} is the facade that assembles
 * one client; {@code ConnectionLoop} owns the connection's life (attempts, backoff, what
 * follows each session's {@code EndCause}) and publishes it through
 * {@code ConnectionStatus}; {@code Connector} is where a session is opened
 * ({@code Transport} over Reactor Netty, including the per-session pipeline) and
 * {@code SessionSetup} is what runs on each session once connected (auth, heartbeat,
 * restore of {@code Subscriptions}). Inbound frames go {@code FrameHandler} to
 * {@code InboundRouter}; outbound frames go through {@code Session.write}.
 */
@NullMarked
package io.websockex.adapter.internal.client;

import org.jspecify.annotations.NullMarked;
