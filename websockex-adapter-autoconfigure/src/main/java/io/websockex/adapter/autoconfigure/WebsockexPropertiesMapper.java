package io.websockex.adapter.autoconfigure;

import java.util.Locale;
import java.util.Objects;

import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.InvalidConfigException;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import io.websockex.adapter.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * Maps one {@code websockex.clients.<name>} entry onto a {@link Config.Builder}: the one
 * place where properties meet the core's configuration. Every error names the client and
 * the property.
 */
final class WebsockexPropertiesMapper {

	private WebsockexPropertiesMapper() {
	}

	/**
	 * A builder holding every value of the entry; customizers may adjust it before
	 * {@link #build(String, Config.Builder)}.
	 * @param name the client's name
	 * @param client the entry
	 * @return the builder
	 * @throws WebsockexConfigurationException naming the first invalid property
	 */
	static Config.Builder toBuilder(String name, WebsockexProperties.Client client) {
		try {
			Config.Builder builder = Config.builder(Objects.requireNonNullElse(client.getUrl(), ""));
			builder.headers(client.getHeaders())
				.subprotocols(client.getSubprotocols())
				.connectTimeout(client.getConnectTimeout())
				.retryCount((client.getRetryCount() != null) ? client.getRetryCount() : Config.UNLIMITED_RETRIES)
				.retryDelay(client.getRetryDelay())
				.maxBackoff(client.getMaxBackoff())
				.backoffJitter(client.getBackoffJitter())
				.reconnectOnError(client.isReconnectOnError())
				.restoreSubscriptions(client.isRestoreSubscriptions())
				.requestTimeout(client.getRequestTimeout())
				.shutdownTimeout(client.getShutdownTimeout())
				.maxFrameSize(maxFrameSize(client))
				.compression(client.isCompression())
				.platform(Platforms.named(client.getPlatform()))
				.subscriptions(client.getSubscriptions())
				.auth(credentials(client.getAuth()))
				.heartbeat(heartbeat(client.getHeartbeat()))
				.rateLimit(rateLimit(client.getRateLimit()))
				.outboundBuffer(client.getOutboundBuffer())
				.inboundBuffer(client.getInboundBuffer())
				.maxChannelsPerSubscribe(client.getMaxChannelsPerSubscribe());
			return builder;
		}
		catch (InvalidConfigException ex) {
			throw WebsockexConfigurationException.of(name, ex);
		}
	}

	/**
	 * Validate and build.
	 * @param name the client's name
	 * @param builder the builder
	 * @return the configuration
	 * @throws WebsockexConfigurationException naming the first invalid property
	 */
	static Config build(String name, Config.Builder builder) {
		try {
			return builder.build();
		}
		catch (InvalidConfigException ex) {
			throw WebsockexConfigurationException.of(name, ex);
		}
	}

	private static int maxFrameSize(WebsockexProperties.Client client) {
		long bytes = client.getMaxFrameSize().toBytes();
		if (bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigException("max-frame-size",
					"must be at most " + Integer.MAX_VALUE + " bytes (2GB), was " + client.getMaxFrameSize());
		}
		return (int) bytes;
	}

	private static @Nullable Credentials credentials(WebsockexProperties.Auth auth) {
		if (auth.getClientId() == null && auth.getClientSecret() == null) {
			return null;
		}
		Credentials credentials = new Credentials(Objects.requireNonNullElse(auth.getClientId(), ""),
				Objects.requireNonNullElse(auth.getClientSecret(), ""));
		// Only what is set: the defaults live in Credentials.
		if (auth.getMethod() != null) {
			credentials = credentials.withMethod(Credentials.Method.named(auth.getMethod()));
		}
		if (auth.getRefreshAt() != null) {
			credentials = credentials.withRefreshAt(auth.getRefreshAt());
		}
		return credentials;
	}

	private static Heartbeat heartbeat(WebsockexProperties.Heartbeat heartbeat) {
		return new Heartbeat(heartbeatType(heartbeat.getType()), heartbeat.getInterval(), heartbeat.getTimeout(),
				heartbeat.getMaxFailures(), heartbeat.getMessage(), heartbeat.getIdleTimeout());
	}

	private static Heartbeat.Type heartbeatType(String type) {
		return switch (type.trim().toLowerCase(Locale.ROOT)) {
			case "none" -> Heartbeat.Type.NONE;
			case "ping" -> Heartbeat.Type.PING;
			case "deribit" -> Heartbeat.Type.DERIBIT;
			case "text" -> Heartbeat.Type.TEXT;
			default -> throw new InvalidConfigException("heartbeat.type",
					"has unknown heartbeat type '" + type + "': use none, ping, deribit or text");
		};
	}

	private static @Nullable RateLimit rateLimit(WebsockexProperties.RateLimit rateLimit) {
		Integer capacity = rateLimit.getCapacity();
		if (capacity == null) {
			return null;
		}
		int refillRate = (rateLimit.getRefillRate() != null) ? rateLimit.getRefillRate() : capacity;
		return new RateLimit(capacity, refillRate, rateLimit.getRefillInterval(),
				CostFunctions.named(rateLimit.getCost(), rateLimit.getCosts()), rateLimit.getMaxQueue());
	}

}
