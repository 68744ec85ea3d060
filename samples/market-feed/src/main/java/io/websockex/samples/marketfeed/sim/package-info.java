/**
 * A simulated exchange speaking Deribit's WebSocket API v2, embedded in the sample so it
 * runs offline, with controls to drop and stall its connections.
 */
@NullMarked
package io.websockex.samples.marketfeed.sim;

import org.jspecify.annotations.NullMarked;
