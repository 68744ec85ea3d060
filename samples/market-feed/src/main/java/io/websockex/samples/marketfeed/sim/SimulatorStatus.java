package io.websockex.samples.marketfeed.sim;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /sim/status} shows: the simulator's open connections.
 *
 * @param sessions the open connections
 */
public record SimulatorStatus(List<Session> sessions) {

	/**
	 * One open connection as the simulator sees it.
	 *
	 * @param id the session id
	 * @param authenticated whether {@code public/auth} succeeded on it
	 * @param grant the grant type of the last accepted {@code public/auth}
	 * ({@code client_credentials}, {@code client_signature} or {@code refresh_token})
	 * @param heartbeatSeconds the {@code public/set_heartbeat} interval, if set
	 * @param testRequestsSent heartbeat {@code test_request}s sent
	 * @param testRequestsAnswered those answered with {@code public/test}
	 * @param subscriptions the channels it is subscribed to
	 * @param stalled whether it is stalled now
	 */
	public record Session(String id, boolean authenticated, @Nullable String grant, @Nullable Long heartbeatSeconds,
			long testRequestsSent, long testRequestsAnswered, List<String> subscriptions, boolean stalled) {
	}

}
