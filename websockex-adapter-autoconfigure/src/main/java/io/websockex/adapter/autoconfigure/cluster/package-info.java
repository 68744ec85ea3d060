/**
 * One live connection per client name across the instances of a service
 * ({@code websockex.clients.<name>.cluster=single-active}): leader election with Spring
 * Integration's {@code LockRegistryLeaderInitiator} over the application's
 * {@code LockRegistry}, behind the core's {@link io.websockex.adapter.ActivationGate}.
 */
@NullMarked
package io.websockex.adapter.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
