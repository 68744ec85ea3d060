package io.websockex.adapter.internal.client;

import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.websockex.adapter.Config;
import org.jspecify.annotations.Nullable;

/**
 * Tells fatal connection errors (retrying cannot help) from recoverable ones, and
 * describes errors without secrets.
 */
final class FailureClassifier {

	private FailureClassifier() {
	}

	/**
	 * Whether retrying cannot fix this error: the upgrade was answered 401 or 403, or the
	 * server's certificate was rejected.
	 * @param error the error
	 * @return {@code true} if fatal
	 */
	static boolean isFatal(Throwable error) {
		int status = upgradeStatus(error);
		if (status == 401 || status == 403) {
			return true;
		}
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof CertificateException) {
				return true;
			}
			if (t instanceof SSLHandshakeException && t.getMessage() != null
					&& (t.getMessage().contains("PKIX") || t.getMessage().contains("certificate"))) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * The HTTP status the server answered the upgrade with, if that is the error.
	 * @param error the error
	 * @return the status, or {@code -1}
	 */
	static int upgradeStatus(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof WebSocketClientHandshakeException handshake && handshake.response() != null) {
				return handshake.response().status().code();
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return -1;
	}

	/**
	 * A one-line description of an error, with the secrets of the configuration removed.
	 * @param error the error
	 * @param secrets strings that must not appear (user-info, query, header values)
	 * @return the description
	 */
	static String describe(Throwable error, Iterable<String> secrets) {
		int status = upgradeStatus(error);
		String text;
		if (responseTooLong(error)) {
			text = "the server's upgrade response headers are larger than max-handshake-header-size; raise "
					+ "max-handshake-header-size if this server is trusted";
		}
		else if (status == 101) {
			// Switching Protocols, yet refused: a response Netty stopped reading at its
			// header bound lacks the headers that come after it.
			text = "the server's upgrade response was incomplete or invalid (" + handshakeMessage(error)
					+ "); if it sends large headers, raise max-handshake-header-size";
		}
		else if (status > 0) {
			text = "upgrade rejected with HTTP " + status
					+ ((status == 401 || status == 403) ? " (check the credentials or headers)" : "");
		}
		else if (error instanceof TimeoutException) {
			text = String.valueOf(error.getMessage());
		}
		else {
			Throwable root = rootCause(error);
			text = root.getClass().getSimpleName() + ((root.getMessage() != null) ? ": " + root.getMessage() : "");
		}
		return mask(text, secrets);
	}

	/**
	 * A text with every secret replaced by {@code ******}.
	 * @param text the text
	 * @param secrets strings that must not appear (shorter than 3 characters: left, they
	 * would mask ordinary words)
	 * @return the masked text
	 */
	static String mask(String text, Iterable<String> secrets) {
		String masked = text;
		for (String secret : secrets) {
			if (secret != null && secret.length() >= 3) {
				masked = masked.replace(secret, "******");
			}
		}
		return masked;
	}

	private static String handshakeMessage(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof WebSocketClientHandshakeException) {
				return String.valueOf(t.getMessage());
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return String.valueOf(error.getMessage());
	}

	// Netty stops reading headers at its bound and hands on what it has, marked failed.
	private static boolean responseTooLong(Throwable error) {
		for (Throwable t = error; t != null; t = t.getCause()) {
			if (t instanceof TooLongHttpHeaderException) {
				return true;
			}
			if (t instanceof WebSocketClientHandshakeException handshake && handshake.response() != null
					&& handshake.response().decoderResult().cause() instanceof TooLongHttpHeaderException) {
				return true;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return false;
	}

	/**
	 * The strings of a configuration that must never reach a log line, an error or the
	 * endpoint: header values, the URL's user-info and query, the auth secret.
	 * @param config the configuration
	 * @return the secrets
	 */
	static List<String> secretsOf(Config config) {
		List<String> secrets = new ArrayList<>(config.headers().values());
		if (config.url().getRawUserInfo() != null) {
			secrets.add(config.url().getRawUserInfo());
		}
		if (config.url().getRawQuery() != null) {
			secrets.add(config.url().getRawQuery());
		}
		if (config.auth() != null) {
			secrets.add(config.auth().clientSecret());
		}
		return List.copyOf(secrets);
	}

	private static Throwable rootCause(Throwable error) {
		Throwable t = error;
		while (t.getCause() != null && t.getCause() != t) {
			@Nullable Throwable cause = t.getCause();
			t = cause;
		}
		return t;
	}

}
