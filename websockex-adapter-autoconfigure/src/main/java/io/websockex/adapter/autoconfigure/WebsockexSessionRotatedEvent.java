package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.SessionRotation;
import io.websockex.adapter.WebsockexClient;

import org.springframework.context.ApplicationEvent;

/**
 * Published when an auto-configured client replaced its session before
 * {@code max-connection-age}, without a gap: the client stayed {@code CONNECTED}, so no
 * {@link WebsockexConnectedEvent} or {@link WebsockexDisconnectedEvent} goes with it. A
 * rotation is planned, not a failure. Published off the connection's I/O thread.
 *
 * <pre>{@code
 * &#64;EventListener
 * void onRotated(WebsockexSessionRotatedEvent event) {
 *     log.info("{} moved to a new session after {}", event.getClientName(), event.getRotation().replacedAge());
 * }
 * }</pre>
 */
public class WebsockexSessionRotatedEvent extends ApplicationEvent {

	private final SessionRotation rotation;

	/**
	 * Create an event.
	 * @param client the client whose session was replaced
	 * @param rotation what happened
	 */
	public WebsockexSessionRotatedEvent(WebsockexClient client, SessionRotation rotation) {
		super(client);
		this.rotation = rotation;
	}

	/**
	 * The client whose session was replaced.
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
	 * When, the replaced session's age, and how many rotations so far.
	 * @return the rotation
	 */
	public SessionRotation getRotation() {
		return this.rotation;
	}

}
