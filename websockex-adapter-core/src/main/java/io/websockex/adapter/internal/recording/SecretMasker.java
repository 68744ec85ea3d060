package io.websockex.adapter.internal.recording;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Masks secrets in a JSON frame before it is recorded: every param of an auth call but
 * its grant type, and anywhere in the frame the value of a field whose name says it holds
 * a secret (tokens, secrets, signatures, passwords, keys). Frames without secrets are
 * returned unchanged, byte for byte; text that is not JSON is returned as it is.
 */
final class SecretMasker {

	static final String MASK = "***";

	private static final JsonMapper mapper = JsonMapper.shared();

	private static final Set<String> SECRET_WORDS = Set.of("secret", "token", "signature", "password", "passphrase",
			"apikey", "api_key", "authorization", "private_key");

	private SecretMasker() {
	}

	/**
	 * @param text a frame's text
	 * @return the text with secrets masked
	 */
	static String mask(String text) {
		if (text.isEmpty() || (text.charAt(0) != '{' && text.charAt(0) != '[')) {
			return text;
		}
		JsonNode json;
		try {
			json = mapper.readTree(text);
		}
		catch (JacksonException ex) {
			return text;
		}
		boolean masked = maskAuthParams(json);
		masked |= maskSecretFields(json);
		return masked ? json.toString() : text;
	}

	// public/auth, private/auth, auth, ...: the whole params are credentials.
	private static boolean maskAuthParams(JsonNode json) {
		String method = json.path("method").asString("");
		if (!(method.equals("auth") || method.endsWith("/auth") || method.endsWith(".auth"))
				|| !(json.get("params") instanceof ObjectNode params)) {
			return false;
		}
		boolean masked = false;
		for (Map.Entry<String, JsonNode> field : params.properties()) {
			if (!field.getKey().equals("grant_type") && !field.getKey().equals("scope")) {
				field.setValue(mapper.getNodeFactory().stringNode(MASK));
				masked = true;
			}
		}
		return masked;
	}

	private static boolean maskSecretFields(@Nullable JsonNode node) {
		boolean masked = false;
		if (node instanceof ObjectNode object) {
			for (Map.Entry<String, JsonNode> field : object.properties()) {
				if (isSecret(field.getKey()) && field.getValue().isValueNode()
						&& !MASK.equals(field.getValue().asString(null))) {
					field.setValue(mapper.getNodeFactory().stringNode(MASK));
					masked = true;
				}
				else {
					masked |= maskSecretFields(field.getValue());
				}
			}
		}
		else if (node != null && node.isArray()) {
			for (JsonNode element : node) {
				masked |= maskSecretFields(element);
			}
		}
		return masked;
	}

	private static boolean isSecret(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		for (String word : SECRET_WORDS) {
			if (lower.contains(word)) {
				return true;
			}
		}
		return false;
	}

}
