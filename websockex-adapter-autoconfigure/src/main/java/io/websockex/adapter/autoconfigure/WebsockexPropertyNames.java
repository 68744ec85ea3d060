package io.websockex.adapter.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.ResolvableType;

/**
 * The valid keys under {@code websockex}, read from {@link WebsockexProperties} itself
 * (so a key added there is known here at once), and the nearest valid key to an unknown
 * one, for the "did you mean" of the failure analysis.
 */
final class WebsockexPropertyNames {

	static final String PREFIX = "websockex";

	// A pattern element standing for one element of any name: a client's name.
	private static final String ANY = "*";

	// A pattern element standing for the rest of the name: the keys of a map of values.
	private static final String REST = "**";

	private static final List<List<String>> PATTERNS = collect(WebsockexProperties.class, List.of(), new ArrayList<>());

	private WebsockexPropertyNames() {
	}

	/**
	 * The valid key nearest to an unknown one, with the unknown key's client name (and
	 * map keys) kept.
	 * @param unknown a name under {@code websockex}
	 * @return the elements of the nearest valid key after {@code websockex}, e.g.
	 * {@code [clients, feed, retry-delay]} for {@code websockex.clients.feed.retry-dely}
	 */
	static List<String> nearest(ConfigurationPropertyName unknown) {
		List<String> elements = new ArrayList<>();
		for (int i = 1; i < unknown.getNumberOfElements(); i++) {
			elements.add(unknown.getElement(i, ConfigurationPropertyName.Form.DASHED));
		}
		String typed = String.join(".", elements);
		List<String> best = List.of();
		int bestDistance = Integer.MAX_VALUE;
		for (List<String> pattern : PATTERNS) {
			List<String> candidate = fill(pattern, elements);
			int distance = distance(typed, String.join(".", candidate));
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	/**
	 * A key written out, a map key holding a dot in brackets.
	 * @param elements the elements after {@code websockex}
	 * @return the key, e.g. {@code websockex.clients[eu.feed].retry-delay}
	 */
	static String key(List<String> elements) {
		StringBuilder key = new StringBuilder(PREFIX);
		for (String element : elements) {
			key.append(element.contains(".") ? "[" + element + "]" : "." + element);
		}
		return key.toString();
	}

	/**
	 * Every valid key, {@code *} standing for a client's name and {@code **} for the keys
	 * of a map.
	 * @return the keys, e.g. {@code websockex.clients.*.heartbeat.interval}
	 */
	static List<String> all() {
		return PATTERNS.stream().map((pattern) -> PREFIX + "." + String.join(".", pattern)).toList();
	}

	private static List<List<String>> collect(Class<?> type, List<String> prefix, List<List<String>> keys) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			List<String> name = append(prefix, DataObjectPropertyName.toDashedForm(property.getName()));
			ResolvableType propertyType = ResolvableType.forMethodReturnType(property.getReadMethod());
			if (Map.class.isAssignableFrom(propertyType.toClass())) {
				Class<?> valueType = propertyType.asMap().getGeneric(1).toClass();
				if (isGroup(valueType)) {
					collect(valueType, append(name, ANY), keys);
				}
				else {
					keys.add(append(name, REST));
				}
			}
			else if (isGroup(propertyType.toClass())) {
				collect(propertyType.toClass(), name, keys);
			}
			else {
				keys.add(name);
			}
		}
		return keys;
	}

	// A type of this package holds nested keys (heartbeat.*, rate-limit.*, a client).
	private static boolean isGroup(@Nullable Class<?> type) {
		return type != null && !type.isEnum()
				&& type.getPackageName().equals(WebsockexProperties.class.getPackageName());
	}

	private static List<String> append(List<String> list, String element) {
		List<String> result = new ArrayList<>(list);
		result.add(element);
		return result;
	}

	// The pattern with the unknown key's own client name and map keys in place of the
	// wildcards, so that only the mistyped part differs.
	private static List<String> fill(List<String> pattern, List<String> elements) {
		List<String> filled = new ArrayList<>();
		for (int i = 0; i < pattern.size(); i++) {
			String element = pattern.get(i);
			if (element.equals(ANY)) {
				filled.add((i < elements.size()) ? elements.get(i) : "<name>");
			}
			else if (element.equals(REST)) {
				filled.addAll((i < elements.size()) ? elements.subList(i, elements.size()) : List.of("<key>"));
			}
			else {
				filled.add(element);
			}
		}
		return filled;
	}

	// Levenshtein distance: insertions, deletions and substitutions.
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
