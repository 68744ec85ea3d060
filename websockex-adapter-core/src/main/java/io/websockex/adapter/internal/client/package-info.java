/**
 * The client implementation (not API): the connection owner, its reconnect loop, backoff
 * and error classification.
 */
@NullMarked
package io.websockex.adapter.internal.client;

import org.jspecify.annotations.NullMarked;
