package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.WebsockexClient;

import org.springframework.context.ApplicationEvent;

/**
 * Published when an auto-configured client has connected: after the first connect and
 * after every reconnect. Published off the connection's I/O thread, so a listener may
 * block; the client does not wait for it.
 *
 * <pre>{@code
 * &#64;EventListener
 * void onConnected(WebsockexConnectedEvent event) {
 *     log.info("{} is up", event.getClientName());
 * }
 * }</pre>
 */
public class WebsockexConnectedEvent extends ApplicationEvent {

	/**
	 * Create an event.
	 * @param client the client that connected
	 */
	public WebsockexConnectedEvent(WebsockexClient client) {
		super(client);
	}

	/**
	 * The client that connected.
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
