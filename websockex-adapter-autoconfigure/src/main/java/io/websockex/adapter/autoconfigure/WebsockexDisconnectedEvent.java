package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published when an auto-configured client has become
 * {@link io.websockex.adapter.ConnectionState#DISCONNECTED DISCONNECTED}: it gave up
 * after {@code retry-count} attempts, met a fatal error (401/403, TLS rejected), lost its
 * connection with {@code reconnect-on-error: false}, or was closed. A connection lost and
 * being re-established is not a disconnect: the client is then {@code CONNECTING}.
 * Published off the connection's I/O thread.
 *
 * <pre>{@code
 * &#64;EventListener
 * void onDisconnected(WebsockexDisconnectedEvent event) {
 *     if (event.getReason().isFailure()) {
 *         alert(event.getClientName() + " is down: " + event.getMessage());
 *     }
 * }
 * }</pre>
 */
public class WebsockexDisconnectedEvent extends ApplicationEvent {

	private final DisconnectReason reason;

	private final @Nullable String message;

	/**
	 * Create an event.
	 * @param client the client
	 * @param reason why it is disconnected
	 * @param message the last connection error (no secrets), or {@code null}
	 */
	public WebsockexDisconnectedEvent(WebsockexClient client, DisconnectReason reason, @Nullable String message) {
		super(client);
		this.reason = reason;
		this.message = message;
	}

	/**
	 * The client.
	 * @return the client
	 */
	public WebsockexClient getClient() {
		return (WebsockexClient) getSource();
	}

	/**
	 * The client's name.
	 * @return the name
	 */
	public String getClientName() {
		return getClient().name();
	}

	/**
	 * Why the client is disconnected.
	 * @return the reason
	 */
	public DisconnectReason getReason() {
		return this.reason;
	}

	/**
	 * The last connection error, without secrets.
	 * @return the message, or {@code null} when there was none (closed cleanly)
	 */
	public @Nullable String getMessage() {
		return this.message;
	}

}
