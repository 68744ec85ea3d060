package io.websockex.adapter;

import java.net.URI;

/**
 * Masks the secret parts of a URL (user-info, query values, and path segments that look
 * like API keys) so it can be logged and shown.
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
			appendPath(result, uri.getRawPath());
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

	// Node providers put the key in the path (.../v3/<key>, .../v2/<key>, /<token>/):
	// mask a segment that is long, made only of key characters, and mixes letters and
	// digits. Words, versions and channel-like names stay readable.
	private static void appendPath(StringBuilder result, String path) {
		int start = 0;
		while (start <= path.length()) {
			int slash = path.indexOf('/', start);
			int end = (slash >= 0) ? slash : path.length();
			String segment = path.substring(start, end);
			result.append(looksLikeKey(segment) ? "******" : segment);
			if (slash < 0) {
				return;
			}
			result.append('/');
			start = slash + 1;
		}
	}

	static boolean looksLikeKey(String segment) {
		if (segment.length() < 16) {
			return false;
		}
		boolean letter = false;
		boolean digit = false;
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c >= '0' && c <= '9') {
				digit = true;
			}
			else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
				letter = true;
			}
			else if (c != '-' && c != '_') {
				return false;
			}
		}
		return letter && digit;
	}

}
