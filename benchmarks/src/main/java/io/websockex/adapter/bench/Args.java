package io.websockex.adapter.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line arguments: positional words and {@code --name value} options.
 */
final class Args {

	private final List<String> positional = new ArrayList<>();

	private final Map<String, String> options = new HashMap<>();

	Args(String[] args) {
		for (int i = 0; i < args.length; i++) {
			if (args[i].startsWith("--")) {
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("option " + args[i] + " needs a value");
				}
				this.options.put(args[i].substring(2), args[++i]);
			}
			else {
				this.positional.add(args[i]);
			}
		}
	}

	String positional(int index, String usage) {
		if (index >= this.positional.size()) {
			throw new IllegalArgumentException("usage: " + usage);
		}
		return this.positional.get(index);
	}

	String string(String name, String fallback) {
		return this.options.getOrDefault(name, fallback);
	}

	long number(String name, long fallback) {
		String value = this.options.get(name);
		return (value != null) ? Long.parseLong(value.replace("_", "")) : fallback;
	}

	int integer(String name, int fallback) {
		return Math.toIntExact(number(name, fallback));
	}

}
