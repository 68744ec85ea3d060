package io.websockex.adapter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.autoconfigure.WebsockexProperties.ClientSettings;
import io.websockex.adapter.InvalidConfigException;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import io.websockex.adapter.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.Conventions;
import org.springframework.util.unit.DataSize;

/**
 * Maps one {@code websockex.clients.<name>} entry, over {@code websockex.defaults}, onto
 * a {@link Config.Builder}: the one place where properties meet the core's configuration.
 * Each key is taken from the client's entry, else from the defaults, and copied only when
 * one of them sets it, so every default stays in {@link Config} (as Boot's
 * {@code PulsarPropertiesMapper} does). Every error names the client and the property.
 * <p>
 * A new key is one line in {@link #toBuilder()} (or in the lifecycle accessors for a
 * Spring-only key): {@code from(ClientSettings::getX).to(builder::x)}.
 */
final class WebsockexPropertiesMapper {

	private static final PropertyMapper MAP = PropertyMapper.get();

	private final String name;

	private final WebsockexProperties.Client client;

	private final ClientSettings defaults;

	/**
	 * A mapper of one client.
	 * @param name the client's name
	 * @param properties the bound properties, holding an entry for {@code name}
	 */
	WebsockexPropertiesMapper(String name, WebsockexProperties properties) {
		WebsockexProperties.Client client = properties.getClients().get(name);
		if (client == null) {
			// The registrar read the entry from the environment at start-up; the bound
			// properties must hold it too.
			throw new IllegalStateException("websockex client '" + name + "' has no websockex.clients entry");
		}
		this.name = name;
		this.client = client;
		this.defaults = properties.getDefaults();
	}

	/**
	 * A builder holding every value set for the client; customizers may adjust it before
	 * {@link #build(Config.Builder)}.
	 * @return the builder
	 * @throws WebsockexConfigurationException naming the first invalid property
	 */
	Config.Builder toBuilder() {
		try {
			Config.Builder builder = Config.builder(Objects.requireNonNullElse(this.client.getUrl(), ""));
			// Headers merge per name: the defaults' first, then the client's over them.
			MAP.from(this.defaults.getHeaders()).to(builder::headers);
			MAP.from(this.client.getHeaders()).to(builder::headers);
			from(ClientSettings::getSubprotocols).to(builder::subprotocols);
			from(ClientSettings::getConnectTimeout).to(builder::connectTimeout);
			from(ClientSettings::getRetryCount).to(builder::retryCount);
			from(ClientSettings::getRetryDelay).to(builder::retryDelay);
			from(ClientSettings::getMaxBackoff).to(builder::maxBackoff);
			from(ClientSettings::getBackoffJitter).to(builder::backoffJitter);
			from(ClientSettings::getReconnectOnError).to(builder::reconnectOnError);
			from(ClientSettings::getRestoreSubscriptions).to(builder::restoreSubscriptions);
			from(ClientSettings::getRequestTimeout).to(builder::requestTimeout);
			from(ClientSettings::getShutdownTimeout).to(builder::shutdownTimeout);
			from(ClientSettings::getMaxFrameSize).as(WebsockexPropertiesMapper::bytes).to(builder::maxFrameSize);
			from(ClientSettings::getCompression).to(builder::compression);
			from(ClientSettings::getPlatform).as(Platforms::named).to(builder::platform);
			from(ClientSettings::getSubscriptions).to(builder::subscriptions);
			from(ClientSettings::getOutboundBuffer).to(builder::outboundBuffer);
			from(ClientSettings::getInboundBuffer).to(builder::inboundBuffer);
			from(ClientSettings::getMaxConnectionAge).to(builder::maxConnectionAge);
			from(ClientSettings::getMaxHandshakeHeaderSize).as((size) -> bytes("max-handshake-header-size", size))
				.to(builder::maxHandshakeHeaderSize);
			from(ClientSettings::getPingRepliesPerSecond).to(builder::pingRepliesPerSecond);
			from(ClientSettings::getMaxChannelsPerSubscribe).to(builder::maxChannelsPerSubscribe);
			from((settings) -> settings.getPool().getSize()).to(builder::poolSize);
			from((settings) -> settings.getPool().getMaxSubscriptionsPerConnection())
				.to(builder::maxSubscriptionsPerConnection);
			builder.auth(credentials());
			builder.heartbeat(heartbeat());
			builder.rateLimit(rateLimit());
			builder.recording(recording());
			return builder;
		}
		catch (InvalidConfigException ex) {
			throw error(ex);
		}
	}

	/**
	 * Whether the client connects when the context starts.
	 * @return {@code auto-startup}
	 */
	boolean autoStartup() {
		return orElse(ClientSettings::getAutoStartup, WebsockexProperties.DEFAULT_AUTO_STARTUP);
	}

	/**
	 * Whether the context fails to start when the first connection fails.
	 * @return {@code fail-fast}
	 */
	boolean failFast() {
		return orElse(ClientSettings::getFailFast, WebsockexProperties.DEFAULT_FAIL_FAST);
	}

	/**
	 * The client's lifecycle phase.
	 * @return {@code phase}
	 */
	int phase() {
		return orElse(ClientSettings::getPhase, WebsockexProperties.DEFAULT_PHASE);
	}

	/**
	 * The SSL bundle's name.
	 * @return {@code ssl.bundle}, or {@code null}
	 */
	@Nullable String sslBundle() {
		return get((settings) -> settings.getSsl().getBundle());
	}

	/**
	 * The platform's name as configured.
	 * @return {@code platform}, or {@code null} for the default
	 */
	@Nullable String platform() {
		return get(ClientSettings::getPlatform);
	}

	/**
	 * Validate and build.
	 * @param builder the builder from {@link #toBuilder()}, customized
	 * @return the configuration
	 * @throws WebsockexConfigurationException naming the first invalid property
	 */
	Config build(Config.Builder builder) {
		try {
			return builder.build();
		}
		catch (InvalidConfigException ex) {
			throw error(ex);
		}
	}

	// Names websockex.defaults.<property> when the bad value is the inherited one.
	private WebsockexConfigurationException error(InvalidConfigException ex) {
		if (isSet(this.defaults, ex.property()) && !isSet(this.client, ex.property())) {
			return WebsockexConfigurationException.inherited(this.name, ex);
		}
		return WebsockexConfigurationException.of(this.name, ex);
	}

	private static boolean isSet(ClientSettings settings, String property) {
		BeanWrapper wrapper = new BeanWrapperImpl(settings);
		StringBuilder camel = new StringBuilder();
		for (String element : property.split("\\.")) {
			camel.append((camel.length() > 0) ? "." : "").append(Conventions.attributeNameToPropertyName(element));
		}
		return wrapper.isReadableProperty(camel.toString()) && wrapper.getPropertyValue(camel.toString()) != null;
	}

	// The client's value of a key, else the defaults' value; null values are not mapped.
	private <T> PropertyMapper.Source<T> from(Function<ClientSettings, @Nullable T> key) {
		return MAP.from(() -> key.apply(this.client)).orFrom(() -> key.apply(this.defaults));
	}

	private <T> @Nullable T get(Function<ClientSettings, @Nullable T> key) {
		T value = key.apply(this.client);
		return (value != null) ? value : key.apply(this.defaults);
	}

	private <T> T orElse(Function<ClientSettings, @Nullable T> key, T fallback) {
		return Objects.requireNonNullElse(get(key), fallback);
	}

	private static int bytes(DataSize size) {
		return bytes("max-frame-size", size);
	}

	private static int bytes(String property, DataSize size) {
		if (size.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidConfigException(property,
					"must be at most " + Integer.MAX_VALUE + " bytes (2GB), was " + size);
		}
		return (int) size.toBytes();
	}

	private @Nullable Credentials credentials() {
		String clientId = get((settings) -> settings.getAuth().getClientId());
		String clientSecret = get((settings) -> settings.getAuth().getClientSecret());
		if (clientId == null && clientSecret == null) {
			return null;
		}
		Credentials credentials = new Credentials(Objects.requireNonNullElse(clientId, ""),
				Objects.requireNonNullElse(clientSecret, ""));
		// Only what is set: the defaults live in Credentials.
		credentials = from((settings) -> settings.getAuth().getMethod()).as(Credentials.Method::named)
			.to(credentials, Credentials::withMethod);
		return from((settings) -> settings.getAuth().getRefreshAt()).to(credentials, Credentials::withRefreshAt);
	}

	// The core's default heartbeat (Config.Builder starts from Heartbeat.none()) with
	// only what is set replaced. The type goes last: the record validates it against the
	// message and the interval.
	private Heartbeat heartbeat() {
		Heartbeat heartbeat = Heartbeat.none();
		heartbeat = from((settings) -> settings.getHeartbeat().getMessage()).to(heartbeat, Heartbeat::withMessage);
		heartbeat = from((settings) -> settings.getHeartbeat().getInterval()).to(heartbeat, Heartbeat::withInterval);
		heartbeat = from((settings) -> settings.getHeartbeat().getTimeout()).to(heartbeat, Heartbeat::withTimeout);
		heartbeat = from((settings) -> settings.getHeartbeat().getMaxFailures()).to(heartbeat,
				Heartbeat::withMaxFailures);
		heartbeat = from((settings) -> settings.getHeartbeat().getIdleTimeout()).to(heartbeat,
				Heartbeat::withIdleTimeout);
		heartbeat = from((settings) -> settings.getHeartbeat().getType()).as(WebsockexPropertiesMapper::heartbeatType)
			.to(heartbeat, Heartbeat::withType);
		return heartbeat;
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

	// Off unless a capacity is set; the refill rate then defaults to the capacity.
	// The path is the client's own: two clients appending to one file would interleave.
	private io.websockex.adapter.@Nullable Recording recording() {
		java.nio.file.Path path = this.client.getRecording().getPath();
		if (path == null) {
			return null;
		}
		io.websockex.adapter.Recording recording = io.websockex.adapter.Recording.to(path);
		recording = from((settings) -> settings.getRecording().getMaxFileSize()).to(recording,
				(current, size) -> current.withMaxFileSize(size.toBytes()));
		recording = from((settings) -> settings.getRecording().getMaxFiles()).to(recording,
				io.websockex.adapter.Recording::withMaxFiles);
		return recording;
	}

	private @Nullable RateLimit rateLimit() {
		Integer capacity = get((settings) -> settings.getRateLimit().getCapacity());
		if (capacity == null) {
			return null;
		}
		RateLimit limit = RateLimit.of(capacity);
		limit = from((settings) -> settings.getRateLimit().getRefillRate()).to(limit,
				(current, rate) -> current.withRefill(rate, current.refillInterval()));
		limit = from((settings) -> settings.getRateLimit().getRefillInterval()).to(limit,
				(current, interval) -> current.withRefill(current.refillRate(), interval));
		limit = from((settings) -> settings.getRateLimit().getCost()).as(CostFunctions::named)
			.to(limit, RateLimit::withCost);
		limit = from((settings) -> settings.getRateLimit().getMaxQueue()).to(limit, RateLimit::withMaxQueue);
		// Per-method costs merge by method, the defaults' first, then the client's, over
		// whichever cost function is in force.
		Map<String, Integer> costs = new LinkedHashMap<>(this.defaults.getRateLimit().getCosts());
		costs.putAll(this.client.getRateLimit().getCosts());
		if (!costs.isEmpty()) {
			limit = limit.withCost(CostFunctions.overriding(limit.cost(), costs));
		}
		return limit;
	}

}
