package io.websockex.adapter.autoconfigure;

import java.util.regex.Pattern;

/**
 * The channel filter of a {@code @WebsockexListener}: an exact name, or a pattern in
 * which {@code *} matches any run of characters (dots included, so {@code ticker.*}
 * matches {@code ticker.BTC-PERPETUAL.raw}).
 */
final class ChannelPattern {

	private final String source;

	private final Pattern regex;

	private ChannelPattern(String source) {
		this.source = source;
		StringBuilder regex = new StringBuilder();
		for (String part : source.split("\\*", -1)) {
			if (!regex.isEmpty()) {
				regex.append(".*");
			}
			if (!part.isEmpty()) {
				regex.append(Pattern.quote(part));
			}
		}
		this.regex = Pattern.compile(regex.toString(), Pattern.DOTALL);
	}

	static ChannelPattern of(String pattern) {
		return new ChannelPattern(pattern);
	}

	boolean isExact() {
		return this.source.indexOf('*') < 0;
	}

	boolean matches(String channel) {
		return isExact() ? this.source.equals(channel) : this.regex.matcher(channel).matches();
	}

	@Override
	public String toString() {
		return this.source;
	}

}
