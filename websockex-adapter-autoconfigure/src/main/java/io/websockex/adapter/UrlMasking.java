package io.websockex.adapter;

import java.net.URI;

/**
 * Masks the secret parts of a URL (user-info, query values) so it can be logged and
 * shown.
 */
final class UrlMasking {

	private UrlMasking() {
	}

	static String mask(URI uri) {
		StringBuilder result = new StringBuilder();
		if (uri.getScheme() != null) {
			result.append(uri.getScheme()).append("://");
		}
		if (uri.getRawUserInfo() != null) {
			result.append("******@");
		}
		if (uri.getHost() != null) {
			result.append(uri.getHost());
		}
		if (uri.getPort() != -1) {
			result.append(':').append(uri.getPort());
		}
		if (uri.getRawPath() != null) {
			result.append(uri.getRawPath());
		}
		String query = uri.getRawQuery();
		if (query != null) {
			result.append('?');
			String[] pairs = query.split("&");
			for (int i = 0; i < pairs.length; i++) {
				int eq = pairs[i].indexOf('=');
				// A bare value (?sk_live_...) is as secret as a named one.
				result.append((i > 0) ? "&" : "").append((eq >= 0) ? pairs[i].substring(0, eq) + "=******" : "******");
			}
		}
		return result.toString();
	}

}
