package io.websockex.adapter.test;

import java.util.List;
import java.util.Map;

/**
 * An HTTP upgrade request the {@link WebsockexTestServer} received, accepted or not.
 *
 * @param path the request's path and query, such as {@code /ws/api/v2}
 * @param headers the request's headers, names in lower case
 */
public record UpgradeRequest(String path, Map<String, List<String>> headers) {

	/**
	 * @param name a header name, in any case
	 * @return the header's first value, or {@code null} when it is absent
	 */
	public @org.jspecify.annotations.Nullable String header(String name) {
		List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

}
