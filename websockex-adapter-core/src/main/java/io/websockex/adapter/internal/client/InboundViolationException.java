package io.websockex.adapter.internal.client;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * What the server sent breaks a limit or RFC 6455: the session closes with
 * {@link #status()} and the client reconnects. Never reaches a user: it becomes the
 * session's last error.
 */
final class InboundViolationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient WebSocketCloseStatus status;

	InboundViolationException(WebSocketCloseStatus status, String message) {
		super(message + "; closed with " + status.code(), null, false, false);
		this.status = status;
	}

	WebSocketCloseStatus status() {
		return this.status;
	}

}
