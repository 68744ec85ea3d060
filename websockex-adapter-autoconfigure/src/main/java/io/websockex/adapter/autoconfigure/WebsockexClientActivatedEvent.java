package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.WebsockexClient;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this instance has become the active one for a client with
 * {@code cluster: single-active}: it holds the client's leadership and connects.
 * Published off the election's thread, so a listener may block.
 *
 * <pre>{@code
 * &#64;EventListener
 * void onActivated(WebsockexClientActivatedEvent event) {
 *     log.info("{} is now served by this instance", event.getClientName());
 * }
 * }</pre>
 */
public class WebsockexClientActivatedEvent extends ApplicationEvent {

	/**
	 * Create an event.
	 * @param client the client that became active
	 */
	public WebsockexClientActivatedEvent(WebsockexClient client) {
		super(client);
	}

	/**
	 * The client that became active.
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

}
