package io.websockex.adapter.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code websockex} actuator endpoint: {@code GET /actuator/websockex} lists every
 * client, {@code GET /actuator/websockex/{name}} shows one (404 for an unknown name).
 * {@code POST /actuator/websockex/{name}/reconnect}, {@code .../close} and
 * {@code .../yield} (hand a {@code cluster: single-active} client to another instance,
 * e.g. before a rolling deploy stops this one) exist but, as the endpoint's default
 * access is read-only, answer only once the user opens it:
 * {@code management.endpoint.websockex.access=unrestricted}.
 */
@Endpoint(id = "websockex", defaultAccess = Access.READ_ONLY)
public class WebsockexEndpoint {

	private final Supplier<Map<String, WebsockexClient>> clients;

	/**
	 * Create the endpoint.
	 * @param clients the clients by name, in configuration order
	 */
	public WebsockexEndpoint(Supplier<Map<String, WebsockexClient>> clients) {
		this.clients = clients;
	}

	/**
	 * Every client.
	 * @return the clients by name
	 */
	@ReadOperation
	public ClientsDescriptor clients() {
		Map<String, ClientDescriptor> result = new LinkedHashMap<>();
		this.clients.get().forEach((name, client) -> result.put(name, ClientDescriptor.of(client)));
		return new ClientsDescriptor(result);
	}

	/**
	 * One client.
	 * @param name the client's name
	 * @return the client, or {@code null} (404) for an unknown name
	 */
	@ReadOperation
	public @Nullable ClientDescriptor client(@Selector String name) {
		WebsockexClient client = this.clients.get().get(name);
		return (client != null) ? ClientDescriptor.of(client) : null;
	}

	/**
	 * Drop and reconnect a client's session, close it, or yield its activation. An
	 * operator's {@code close} disconnects the client (close frame 1000, no reconnecting)
	 * without ending it for good: a later {@code reconnect} connects it again.
	 * {@code yield} makes this instance a standby so that another one takes over (400 for
	 * a client that is not clustered).
	 * @param name the client's name
	 * @param action {@code reconnect}, {@code close} or {@code yield}
	 * @return the client after the action, or 404 for an unknown name
	 */
	@WriteOperation
	public WebEndpointResponse<ClientDescriptor> act(@Selector String name, @Selector String action) {
		WebsockexClient client = this.clients.get().get(name);
		if (client == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		switch (action.toLowerCase(Locale.ROOT)) {
			case "reconnect" -> client.reconnect().block();
			case "close" -> client.disconnect().block(client.config().shutdownTimeout().plusSeconds(1));
			case "yield" -> yieldActivation(client);
			default -> throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"Unknown action '" + action + "': use reconnect, close or yield");
		}
		return new WebEndpointResponse<>(ClientDescriptor.of(client));
	}

	private static void yieldActivation(WebsockexClient client) {
		if (client.role() == ClusterRole.NONE) {
			String reason = "websockex client '" + client.name() + "' is not clustered: yield needs websockex.clients."
					+ client.name() + ".cluster=single-active";
			throw new InvalidEndpointRequestException(reason, reason);
		}
		// The client's own bounds end the wait: it fails if the gate has not
		// deactivated within shutdown-timeout plus a margin.
		client.yieldActivation().block(client.config().shutdownTimeout().plusSeconds(10));
	}

	/**
	 * Every client, by name.
	 *
	 * @param clients the clients
	 */
	public record ClientsDescriptor(Map<String, ClientDescriptor> clients) {
	}

}
