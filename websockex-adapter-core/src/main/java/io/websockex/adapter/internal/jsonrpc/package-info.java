/**
 * JSON-RPC 2.0 encoding and request/response correlation.
 */
@NullMarked
package io.websockex.adapter.internal.jsonrpc;

import org.jspecify.annotations.NullMarked;
