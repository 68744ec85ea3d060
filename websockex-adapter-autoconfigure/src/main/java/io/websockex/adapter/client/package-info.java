/**
 * The client implementation: the connection owner, its reconnect loop, backoff and error
 * classification.
 */
@NullMarked
package io.websockex.adapter.client;

import org.jspecify.annotations.NullMarked;
