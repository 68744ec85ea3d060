package io.websockex.adapter.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.ReflectionUtils;

/**
 * One {@code @WebsockexListener} method: which messages it takes and how a message
 * becomes its argument.
 */
final class ListenerMethod {

	private final Object bean;

	private final Method method;

	private final String client;

	private final ChannelPattern clients;

	private final @Nullable ChannelPattern channel;

	private final Kind kind;

	private final Class<?> parameterType;

	ListenerMethod(Object bean, Method method, String client, @Nullable ChannelPattern channel) {
		this.bean = bean;
		this.method = method;
		this.client = client;
		this.clients = ChannelPattern.of(client);
		this.channel = channel;
		this.parameterType = method.getParameterTypes()[0];
		this.kind = Kind.of(this.parameterType, channel != null);
		ReflectionUtils.makeAccessible(method);
	}

	Kind kind() {
		return this.kind;
	}

	String client() {
		return this.client;
	}

	// The client names this method takes: the name itself, or a pattern with '*'.
	ChannelPattern clients() {
		return this.clients;
	}

	@Nullable ChannelPattern channel() {
		return this.channel;
	}

	String describe() {
		return this.method.getDeclaringClass().getName() + "." + this.method.getName() + "("
				+ this.parameterType.getSimpleName() + ")";
	}

	/**
	 * The argument for a message, or {@code null} if this method does not take it.
	 * @throws RuntimeException if the message should fit but cannot be converted
	 */
	@Nullable Object argument(WebsockexMessage message, Platform platform, JsonMapper mapper) {
		if (this.channel == null) {
			return wholeMessageArgument(message, mapper);
		}
		if (!(message instanceof WebsockexMessage.Text text) || !looksLikeJson(text.text())) {
			return null;
		}
		Platform.Notification notification = platform.notification(text.json());
		if (notification == null || !this.channel.matches(notification.channel())) {
			return null;
		}
		JsonNode data = notification.data();
		return switch (this.kind) {
			case MESSAGE -> instance(message);
			case NOTIFICATION -> notification;
			case JSON -> instance(data);
			case STRING -> data.isString() ? data.stringValue() : data.toString();
			case BYTES -> null;
			case BOUND -> bind(data, mapper);
		};
	}

	private @Nullable Object wholeMessageArgument(WebsockexMessage message, JsonMapper mapper) {
		if (this.kind == Kind.MESSAGE) {
			return instance(message);
		}
		if (message instanceof WebsockexMessage.Binary binary) {
			return (this.kind == Kind.BYTES) ? binary.bytes() : null;
		}
		WebsockexMessage.Text text = (WebsockexMessage.Text) message;
		return switch (this.kind) {
			case STRING -> text.text();
			case JSON -> looksLikeJson(text.text()) ? instance(text.json()) : null;
			case BOUND -> looksLikeJson(text.text()) ? bind(text.json(), mapper) : null;
			default -> null;
		};
	}

	// A narrower parameter (WebsockexMessage.Text, ObjectNode) takes only its own kind.
	private @Nullable Object instance(Object value) {
		return this.parameterType.isInstance(value) ? value : null;
	}

	private Object bind(JsonNode json, JsonMapper mapper) {
		JavaType type = mapper.constructType(this.method.getGenericParameterTypes()[0]);
		return mapper.treeToValue(json, type);
	}

	// Cheap pre-check so that plain text frames are skipped rather than failing to parse.
	private static boolean looksLikeJson(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isWhitespace(c)) {
				return c == '{' || c == '[' || c == '"' || c == '-' || Character.isDigit(c) || c == 't' || c == 'f'
						|| c == 'n';
			}
		}
		return false;
	}

	void invoke(Object argument) throws Throwable {
		try {
			this.method.invoke(this.bean, argument);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/** What the parameter takes. */
	enum Kind {

		MESSAGE, NOTIFICATION, STRING, JSON, BYTES, BOUND;

		static Kind of(Class<?> type, boolean channel) {
			if (WebsockexMessage.class.isAssignableFrom(type)) {
				return MESSAGE;
			}
			if (type == Platform.Notification.class) {
				return NOTIFICATION;
			}
			if (type == String.class) {
				return STRING;
			}
			if (JsonNode.class.isAssignableFrom(type)) {
				return JSON;
			}
			if (type == byte[].class) {
				return BYTES;
			}
			return BOUND;
		}

	}

}
