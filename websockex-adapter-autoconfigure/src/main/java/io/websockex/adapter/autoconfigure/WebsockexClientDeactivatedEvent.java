package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.WebsockexClient;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this instance has stopped being the active one for a client with
 * {@code cluster: single-active} and has disconnected it: leadership revoked or yielded,
 * the lock not renewable, or the instance leaving. Published off the election's thread,
 * so a listener may block.
 */
public class WebsockexClientDeactivatedEvent extends ApplicationEvent {

	private final String reason;

	/**
	 * Create an event.
	 * @param client the client that became a standby
	 * @param reason why, e.g. {@code its leadership was revoked}
	 */
	public WebsockexClientDeactivatedEvent(WebsockexClient client, String reason) {
		super(client);
		this.reason = reason;
	}

	/**
	 * The client that became a standby.
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
	 * Why this instance stopped being the active one.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
