package io.websockex.adapter.autoconfigure;

import java.time.Instant;

import io.websockex.adapter.WebsockexClient;

import org.springframework.context.ApplicationEvent;

/**
 * Published when an auto-configured client has authenticated or renewed its token on the
 * live connection, with the instant until which the server holds it authenticated (the
 * answer's {@code expires_in}). It carries no token value. Published off the connection's
 * I/O thread, so a listener may block; the client does not wait for it.
 *
 * <pre>{@code
 * &#64;EventListener
 * void onAuthenticated(WebsockexAuthenticatedEvent event) {
 *     log.info("{} authenticated until {}", event.getClientName(), event.getAuthenticatedUntil());
 * }
 * }</pre>
 */
public class WebsockexAuthenticatedEvent extends ApplicationEvent {

	private final Instant authenticatedUntil;

	/**
	 * Create an event.
	 * @param client the client that authenticated
	 * @param authenticatedUntil until when the session is authenticated
	 */
	public WebsockexAuthenticatedEvent(WebsockexClient client, Instant authenticatedUntil) {
		super(client);
		this.authenticatedUntil = authenticatedUntil;
	}

	/**
	 * The client that authenticated.
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
	 * Until when the server holds the session authenticated; the client renews the token
	 * before then ({@code auth.refresh-at}).
	 * @return the instant
	 */
	public Instant getAuthenticatedUntil() {
		return this.authenticatedUntil;
	}

	@Override
	public String toString() {
		return "WebsockexAuthenticatedEvent[client=" + getClientName() + ", authenticatedUntil="
				+ this.authenticatedUntil + "]";
	}

}
